package demo

// Names people actually have in each market, so that quality checks
// (fake names, keyboard mashing) meet realistic input: accents, compound
// first names, two surnames in Spanish, particles in Portuguese.

// firstNames[locale][0] are male, [1] female.
var firstNames = [numLocales][2][]string{
	es: {
		{"Juan", "Carlos", "Andrés", "Santiago", "Sebastián", "Alejandro", "Diego", "Felipe", "Camilo", "Julián",
			"Mateo", "Nicolás", "Daniel", "David", "Jorge", "Luis", "Fernando", "Ricardo", "Eduardo", "Javier",
			"Miguel", "Francisco", "José", "Manuel", "Óscar", "Héctor", "Raúl", "Pablo", "Gustavo", "Mauricio",
			"Esteban", "Rodrigo", "Gonzalo", "Tomás", "Iván", "Álvaro", "Emilio", "Hernán", "Sergio", "Martín",
			"Juan Pablo", "Juan Camilo", "José Luis", "Luis Fernando", "Juan Carlos", "Jesús", "Alberto", "Enrique"},
		{"María", "Laura", "Ana", "Carolina", "Valentina", "Daniela", "Natalia", "Camila", "Paula", "Andrea",
			"Catalina", "Juliana", "Mariana", "Gabriela", "Alejandra", "Sofía", "Isabel", "Lucía", "Diana", "Patricia",
			"Claudia", "Mónica", "Adriana", "Paola", "Verónica", "Lorena", "Marcela", "Ximena", "Fernanda", "Beatriz",
			"Elena", "Rocío", "Pilar", "Luisa", "Silvia", "Teresa", "Carmen", "Ángela", "Guadalupe", "Victoria",
			"María José", "María Fernanda", "Ana María", "Luz Marina", "María Paula", "Valeria", "Renata", "Constanza"},
	},
	pt: {
		{"João", "Pedro", "Lucas", "Gabriel", "Rafael", "Gustavo", "Felipe", "Bruno", "Thiago", "Rodrigo",
			"Marcelo", "Leonardo", "Eduardo", "Fernando", "André", "Ricardo", "Carlos", "Paulo", "Daniel", "Diego",
			"Vinícius", "Matheus", "Leandro", "Fábio", "Renato", "Márcio", "Sérgio", "Caio", "Henrique", "Otávio",
			"João Pedro", "Luiz Carlos", "José Roberto", "Antônio", "Francisco"},
		{"Ana", "Maria", "Juliana", "Fernanda", "Camila", "Beatriz", "Mariana", "Larissa", "Amanda", "Letícia",
			"Gabriela", "Patrícia", "Aline", "Vanessa", "Carolina", "Renata", "Luciana", "Tatiana", "Bruna", "Daniela",
			"Priscila", "Débora", "Raquel", "Adriana", "Cláudia", "Isabela", "Natália", "Helena", "Cristina", "Simone",
			"Ana Paula", "Maria Eduarda", "Ana Clara", "Rafaela", "Lívia"},
	},
	en: {
		{"James", "Michael", "Robert", "David", "John", "William", "Daniel", "Matthew", "Christopher", "Andrew",
			"Joshua", "Ryan", "Brian", "Kevin", "Jason", "Eric", "Steven", "Mark", "Thomas", "Jonathan",
			"Benjamin", "Samuel", "Nathan", "Patrick", "Gregory", "Scott", "Raj", "Arjun", "Wei", "Hiroshi",
			"Carlos", "Miguel", "Omar", "Tyler", "Brandon", "Aaron", "Peter", "Richard", "Charles", "Anthony"},
		{"Jennifer", "Sarah", "Jessica", "Emily", "Ashley", "Amanda", "Laura", "Rachel", "Megan", "Lauren",
			"Nicole", "Elizabeth", "Stephanie", "Rebecca", "Katherine", "Michelle", "Heather", "Amy", "Melissa", "Hannah",
			"Olivia", "Emma", "Grace", "Chloe", "Priya", "Anjali", "Mei", "Yuki", "Maria", "Sofia",
			"Karen", "Susan", "Lisa", "Julia", "Natalie", "Samantha", "Victoria", "Allison", "Kimberly", "Diana"},
	},
	fr: {
		{"Marc", "Jean", "Luc", "Mathieu", "Étienne", "Philippe", "Alexandre", "François", "Simon", "Olivier",
			"Maxime", "Guillaume", "Louis", "Julien", "Sébastien", "Jean-François", "Pierre", "Benoît", "Martin", "Denis"},
		{"Julie", "Isabelle", "Mélanie", "Geneviève", "Catherine", "Nathalie", "Sophie", "Marie-Ève", "Émilie", "Valérie",
			"Annie", "Caroline", "Josée", "Chantal", "Audrey", "Stéphanie", "Karine", "Marie-Claude", "Véronique", "Chloé"},
	},
}

var lastNames = [numLocales][]string{
	es: {"García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez", "Ramírez", "Torres",
		"Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales", "Jiménez", "Álvarez", "Romero", "Ruiz",
		"Vargas", "Castro", "Ortiz", "Gutiérrez", "Rojas", "Moreno", "Muñoz", "Herrera", "Medina", "Aguilar",
		"Castillo", "Mendoza", "Silva", "Suárez", "Ramos", "Vásquez", "Restrepo", "Ospina", "Londoño", "Mejía",
		"Salazar", "Cárdenas", "Zapata", "Valencia", "Montoya", "Giraldo", "Quintero", "Arango", "Cortés", "Navarro",
		"Domínguez", "Guerrero", "Fuentes", "Carrasco", "Espinoza", "Contreras", "Sepúlveda", "Figueroa", "Paredes", "Quispe",
		"Chávez", "Villanueva", "Fernández", "Molina", "Peña", "Delgado", "Iglesias", "Cabrera", "Ríos", "Benítez",
		"Acosta", "Sandoval", "Pineda", "Orozco", "Bermúdez", "Echeverría", "Ibarra", "Lozano", "Sierra", "Vega"},
	pt: {"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
		"Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa",
		"Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado", "Mendes", "Freitas",
		"Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira", "Araújo", "Pinto", "Correia", "Cavalcanti", "Monteiro",
		"Moura", "Campos", "Batista", "Azevedo", "Castro", "Siqueira", "Prado", "Bezerra", "Tavares", "Queiroz"},
	en: {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
		"Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
		"Nguyen", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Patel", "Chen",
		"Kim", "Shah", "Murphy", "O'Brien", "Sullivan", "Campbell", "Stewart", "Morris", "Reed", "Cook",
		"Bell", "Cooper", "Howard", "Ward", "Brooks", "Kelly", "Sanders", "Price", "Bennett", "Wood",
		"Ross", "Singh", "Wong", "MacDonald", "Fraser", "Tanaka", "Kowalski", "Schmidt", "Rossi", "Cohen"},
	fr: {"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
		"Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher",
		"Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin"},
}

// companyRoots are the distinctive part of company names: places,
// landmarks and made-up brands, combined with an industry word
// ("Laboratorios Altamira", "Redwood Foods").
var companyRoots = [numLocales][]string{
	es: {"Altamira", "Cóndor", "Monteverde", "Del Valle", "Pacífico", "Andes", "Santa Fe", "Tequendama", "Quimbaya", "Sierra Madre",
		"Orión", "Aurora", "Horizonte", "Cordillera", "Sabana", "Mar Azul", "Río Grande", "Los Álamos", "El Roble", "Buenavista",
		"Atlántico", "Magdalena", "Zenit", "La Ceiba", "Guadalupe", "Cumbre", "Nevado", "Amazonas", "Patagonia", "Maipo",
		"Lucerna", "Alborada", "Tolteca", "Inca", "Pachamama", "Costa Verde", "Palmira", "Tayrona", "Anáhuac", "Estrella del Sur",
		"Galeón", "Miramar", "San Isidro", "Aconcagua", "Bahía", "Valle Alto", "Continental", "Occidente", "Meridiano", "Altiplano"},
	pt: {"Itaipu", "Serra Verde", "Guanabara", "Paraná", "Ipê", "Aurora", "Cerrado", "Tupã", "Atlântica", "Jacarandá",
		"Vale do Sol", "Araucária", "Pantanal", "Iguaçu", "Horizonte", "Ouro Preto", "Mantiqueira", "Capibaribe", "Tocantins", "Jequitibá",
		"Piracicaba", "Boa Vista", "Sol Nascente", "Estrela", "Tietê", "Rio Doce", "Sabiá", "Pampa", "Maracanã", "Bandeirantes",
		"Paulista", "Cruzeiro", "Planalto", "Litoral", "Girassol", "Brasília", "Araguaia", "Xingu", "Mucuri", "Itatiaia"},
	en: {"Helix", "Northwind", "Cascade", "Summit", "Bluewater", "Granite", "Redwood", "Meridian", "Keystone", "Lakeshore",
		"Pioneer", "Evergreen", "Harbor", "Ironbridge", "Silverline", "Prairie", "Beacon", "Atlas", "Crescent", "Falcon",
		"Liberty", "Hudson", "Sterling", "Vertex", "Cobalt", "Apex", "Pinnacle", "Riverbend", "Clearwater", "Oakridge",
		"Westfield", "Brightwater", "Ridgeline", "Northstar", "Bayside", "Laurentian", "Maple Leaf", "Fraser", "Rideau", "Algonquin",
		"Copperfield", "Stonebridge", "Windward", "Highland", "Sequoia", "Aspen", "Tidewater", "Greenfield", "Bluestem", "Lighthouse"},
	fr: {"Laurentide", "Boréal", "Saint-Laurent", "Mont-Royal", "Champlain", "Outaouais", "Chaudière", "Vallée-Bleue", "Beauport", "Richelieu",
		"Mauricie", "Charlevoix", "Gaspésie", "Fleuve", "Trois-Rivières", "Cap-Rouge", "Lanaudière", "Érable", "Montérégie", "Saguenay"},
}

// bdrs are the fictional business-development reps who make the BANT
// calls, by market language.
var bdrs = [numLocales][]string{
	es: {"sofia.rojas@ventas.demo.example", "camilo.herrera@ventas.demo.example", "valentina.mejia@ventas.demo.example",
		"diego.salazar@ventas.demo.example", "lucia.fernandez@ventas.demo.example"},
	pt: {"ana.souza@vendas.demo.example", "rafael.lima@vendas.demo.example", "beatriz.costa@vendas.demo.example"},
	en: {"emily.carter@sales.demo.example", "jason.nguyen@sales.demo.example", "olivia.brooks@sales.demo.example"},
	fr: {"chloe.tremblay@sales.demo.example"},
}
