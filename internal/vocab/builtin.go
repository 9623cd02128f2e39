package vocab

// Builtin returns Pista's built-in vocabularies: industry, seniority,
// department, country (every ISO 3166 country, see countries), source
// format and channel, and action type. A definition extends or replaces
// them under `vocabularies:` (docs/definition.md).
func Builtin() []Vocabulary {
	return []Vocabulary{
		{Field: "company.industry", Codes: industries},
		{Field: "person.seniority", Codes: seniorities},
		{Field: "person.department", Codes: departments},
		{Field: "country", Codes: countries()},
		{Field: "source.format", Codes: formats},
		{Field: "source.channel", Codes: channels},
		{Field: "action.type", Codes: actionTypes},
	}
}

// l makes labels in Spanish, Portuguese and English.
func l(es, pt, en string) map[string]string {
	return map[string]string{"es": es, "pt": pt, "en": en}
}

var industries = []Code{
	{"life_sciences", l("Ciencias de la vida", "Ciências da vida", "Life sciences"), []string{"life science", "biotech", "biotechnology", "biotecnología", "biotecnologia", "biociencias", "biociências", "biosciences", "laboratorio", "laboratório", "diagnostics", "diagnósticos"}},
	{"pharma", l("Farmacéutica", "Farmacêutica", "Pharmaceuticals"), []string{"pharma", "pharmaceutical", "pharmaceuticals", "farma", "farmacéuticos", "farmacêuticos", "laboratorios farmacéuticos", "medicamentos"}},
	{"healthcare", l("Salud", "Saúde", "Healthcare"), []string{"health care", "health", "hospital", "hospitals", "clínica", "hospitales", "hospitais", "medical", "médico", "sector salud"}},
	{"medical_devices", l("Dispositivos médicos", "Dispositivos médicos", "Medical devices"), []string{"medtech", "equipos médicos", "equipamentos médicos"}},
	{"food", l("Alimentos y bebidas", "Alimentos e bebidas", "Food and beverage"), []string{"food", "foods", "food & beverage", "f&b", "alimentos", "bebidas", "beverages", "alimentación", "alimentação"}},
	{"manufacturing", l("Manufactura", "Indústria", "Manufacturing"), []string{"industrial", "industria", "manufacturas", "fabricación", "fabricação", "industries"}},
	{"retail", l("Comercio minorista", "Varejo", "Retail"), []string{"comercio", "comércio", "varejo", "minorista", "retail trade", "tiendas", "lojas"}},
	{"ecommerce", l("Comercio electrónico", "Comércio eletrônico", "E-commerce"), []string{"ecommerce", "e-commerce", "online retail", "marketplace"}},
	{"education", l("Educación", "Educação", "Education"), []string{"educacion", "educação", "universidad", "universidade", "university", "higher education", "edtech", "escuela", "escola", "colegio"}},
	{"software", l("Software", "Software", "Software"), []string{"saas", "tecnología", "tecnologia", "technology", "tech", "it services", "information technology", "tecnologías de la información", "ti"}},
	{"financial_services", l("Servicios financieros", "Serviços financeiros", "Financial services"), []string{"finance", "finanzas", "finanças", "banca", "banking", "bancos", "bank", "fintech", "seguros", "insurance", "banco"}},
	{"telecom", l("Telecomunicaciones", "Telecomunicações", "Telecommunications"), []string{"telecom", "telco", "telecomunicaciones"}},
	{"logistics", l("Logística y transporte", "Logística e transporte", "Logistics and transport"), []string{"logistics", "logística", "transporte", "transportes", "transportation", "freight", "supply chain"}},
	{"energy", l("Energía", "Energia", "Energy"), []string{"oil & gas", "oil and gas", "petróleo", "petróleo y gas", "utilities", "mining & energy"}},
	{"mining", l("Minería", "Mineração", "Mining"), []string{"mineria", "minería", "mineração", "mines"}},
	{"construction", l("Construcción", "Construção", "Construction"), []string{"construccion", "construção civil", "real estate development", "inmobiliaria constructora"}},
	{"real_estate", l("Bienes raíces", "Imobiliário", "Real estate"), []string{"inmobiliaria", "imobiliária", "property"}},
	{"agriculture", l("Agricultura", "Agronegócio", "Agriculture"), []string{"agro", "agroindustria", "agronegocio", "agribusiness", "farming"}},
	{"government", l("Gobierno", "Governo", "Government"), []string{"public sector", "sector público", "setor público", "gobierno", "public administration", "administración pública"}},
	{"consulting", l("Consultoría", "Consultoria", "Consulting"), []string{"consultoria", "professional services", "servicios profesionales", "serviços profissionais", "advisory"}},
	{"media", l("Medios y entretenimiento", "Mídia e entretenimento", "Media and entertainment"), []string{"media", "medios", "mídia", "entertainment", "publishing", "advertising", "publicidad", "publicidade"}},
	{"hospitality", l("Hotelería y turismo", "Hotelaria e turismo", "Hospitality and travel"), []string{"hotels", "hoteles", "turismo", "tourism", "travel", "restaurants", "restaurantes"}},
	{"automotive", l("Automotriz", "Automotivo", "Automotive"), []string{"automotive", "automotriz", "automobiles", "autos", "automóveis"}},
	{"chemicals", l("Química", "Química", "Chemicals"), []string{"chemical", "químicos", "petroquímica"}},
	{"nonprofit", l("Sin ánimo de lucro", "Sem fins lucrativos", "Non-profit"), []string{"non profit", "ngo", "ong", "fundación", "fundação", "charity"}},
	{"other", l("Otro", "Outro", "Other"), []string{"otros", "outros", "others"}},
}

var seniorities = []Code{
	{"intern", l("Practicante", "Estagiário", "Intern"), []string{"internship", "pasante", "becario", "estagiario", "estagiária", "trainee", "aprendiz"}},
	{"staff", l("Profesional", "Profissional", "Staff"), []string{"entry level", "entry", "employee", "empleado", "empleada", "funcionário", "colaborador", "analista", "analyst", "asistente", "assistente", "assistant", "individual contributor", "ic"}},
	{"senior", l("Sénior", "Sênior", "Senior"), []string{"sr", "especialista", "specialist", "experienced"}},
	{"manager", l("Gerente", "Gerente", "Manager"), []string{"management", "jefe", "jefa", "gestor", "gestora", "coordinador", "coordinadora", "coordenador", "coordenadora", "supervisor", "supervisora", "team lead", "lead", "mid management"}},
	{"director", l("Director", "Diretor", "Director"), []string{"directora", "diretora", "diretor", "head", "head of", "directores", "diretoria"}},
	{"vp", l("Vicepresidente", "Vice-presidente", "Vice president"), []string{"vice president", "vicepresident", "vice presidente", "vicepresidenta", "vice-presidenta", "vp"}},
	{"svp", l("Vicepresidente sénior", "Vice-presidente sênior", "Senior vice president"), []string{"senior vice president", "evp", "executive vice president", "vicepresidente ejecutivo", "vice-presidente executivo"}},
	{"c_level", l("Alta dirección", "Alta direção", "C-level"), []string{"c-suite", "c suite", "clevel", "executive", "ejecutivo", "ceo", "cfo", "coo", "cto", "cmo", "cio", "cro", "chief", "presidente", "president", "gerente general", "director general", "diretor geral", "diretor presidente"}},
	{"student", l("Estudiante", "Estudante", "Student"), []string{"alumno", "aluno", "universitario", "universitário"}},
	{"owner", l("Dueño", "Proprietário", "Owner"), []string{"dueño", "dueña", "propietario", "propietaria", "proprietário", "socio", "sócio", "founder", "co-founder", "cofounder", "fundador", "fundadora", "partner"}},
}

var departments = []Code{
	{"sales", l("Ventas", "Vendas", "Sales"), []string{"ventas", "vendas", "comercial", "commercial", "business development", "desarrollo de negocios", "desenvolvimento de negócios", "revenue", "account management"}},
	{"marketing", l("Mercadeo", "Marketing", "Marketing"), []string{"mercadeo", "mercadotecnia", "growth", "brand", "comunicaciones", "comunicação"}},
	{"operations", l("Operaciones", "Operações", "Operations"), []string{"operaciones", "operações", "ops", "manufacturing", "producción", "produção", "plant", "planta", "supply chain", "logística", "logistics"}},
	{"purchasing", l("Compras", "Compras", "Purchasing"), []string{"compras", "procurement", "purchasing", "abastecimiento", "suprimentos", "adquisiciones", "sourcing"}},
	{"finance", l("Finanzas", "Finanças", "Finance"), []string{"finanzas", "finanças", "financiero", "financeiro", "accounting", "contabilidad", "contabilidade", "tesorería", "treasury"}},
	{"it", l("Tecnología", "Tecnologia", "IT"), []string{"ti", "tecnología", "tecnologia", "technology", "information technology", "sistemas", "systems", "informática", "tic"}},
	{"engineering", l("Ingeniería", "Engenharia", "Engineering"), []string{"ingeniería", "engenharia", "development", "desarrollo", "desenvolvimento", "product", "producto", "produto"}},
	{"research", l("Investigación", "Pesquisa", "Research"), []string{"investigación", "pesquisa", "r&d", "i+d", "p&d", "lab", "laboratory", "laboratorio", "laboratório", "science", "ciencia", "ciência", "research and development"}},
	{"quality", l("Calidad", "Qualidade", "Quality"), []string{"calidad", "qualidade", "qa", "qc", "quality assurance", "quality control", "aseguramiento de calidad", "regulatory", "regulatorio"}},
	{"hr", l("Recursos humanos", "Recursos humanos", "Human resources"), []string{"human resources", "recursos humanos", "rrhh", "rh", "people", "talent", "talento", "gente"}},
	{"legal", l("Legal", "Jurídico", "Legal"), []string{"jurídico", "juridico", "compliance", "cumplimiento"}},
	{"customer_service", l("Servicio al cliente", "Atendimento ao cliente", "Customer service"), []string{"support", "soporte", "suporte", "customer success", "atención al cliente", "sac", "service"}},
	{"executive", l("Dirección general", "Diretoria", "Executive"), []string{"management", "general management", "gerencia general", "dirección", "direção", "board", "ceo office"}},
}

var formats = []Code{
	{"web_form", l("Formulario web", "Formulário web", "Web form"), []string{"form", "formulario", "formulário", "website", "sitio web", "site", "landing page", "web"}},
	{"api", l("API", "API", "API"), nil},
	{"import", l("Importación", "Importação", "Import"), []string{"importacion", "importação", "csv", "spreadsheet", "excel"}},
	{"business_cards", l("Tarjetas de presentación", "Cartões de visita", "Business cards"), []string{"business card", "tarjetas", "cartões", "cartoes de visita"}},
	{"webinar_list", l("Lista de webinar", "Lista de webinar", "Webinar list"), []string{"webinar", "webinars", "seminario web"}},
	{"purchased_list", l("Lista comprada", "Lista comprada", "Purchased list"), []string{"purchased", "bought list", "lista de compra", "base comprada"}},
	{"referral", l("Referido", "Indicação", "Referral"), []string{"referido", "referencia", "indicação", "indicacao", "referred", "recomendación", "recomendação"}},
	{"handwritten_list", l("Lista manuscrita", "Lista manuscrita", "Handwritten list"), []string{"handwritten", "paper list", "lista en papel", "lista de papel"}},
}

var channels = []Code{
	{"google_ads", l("Google Ads", "Google Ads", "Google Ads"), []string{"adwords", "google adwords", "google cpc", "google paid", "sem", "ppc"}},
	{"google", l("Google (orgánico)", "Google (orgânico)", "Google (organic)"), []string{"google organic", "google search"}},
	{"organic", l("Búsqueda orgánica", "Busca orgânica", "Organic search"), []string{"organic search", "búsqueda orgánica", "seo", "bing", "search"}},
	{"paid_search", l("Búsqueda pagada", "Busca paga", "Paid search"), []string{"paid search", "búsqueda paga", "pesquisa paga", "cpc", "bing ads", "search ads", "pay per click ads", "pay per click"}},
	{"social", l("Redes sociales", "Redes sociais", "Social media"), []string{"social media", "social network", "redes sociales", "redes sociais", "rrss"}},
	{"display", l("Display", "Display", "Display"), []string{"display ads", "banner", "banners", "programmatic", "programática"}},
	{"advertising", l("Otra publicidad", "Outra publicidade", "Other advertising"), []string{"other publicities", "other advertising", "publicidad", "publicidade", "ads", "advertisement"}},
	{"facebook", l("Facebook", "Facebook", "Facebook"), []string{"fb", "facebook ads", "meta", "meta ads", "instagram"}},
	{"linkedin", l("LinkedIn", "LinkedIn", "LinkedIn"), []string{"linkedin ads", "linked in"}},
	{"email", l("Correo electrónico", "E-mail", "E-mail"), []string{"e-mail", "correo", "newsletter", "email marketing", "mailing"}},
	{"direct", l("Directo", "Direto", "Direct"), []string{"direct traffic", "directo", "direto"}},
	{"referral", l("Referido", "Indicação", "Referral"), []string{"referral sites", "referido", "indicação", "word of mouth", "boca a boca", "reference", "referencia", "referência"}},
	{"events", l("Eventos", "Eventos", "Events"), []string{"event", "trade show", "feria", "feira", "conference", "congreso"}},
	{"webinar", l("Webinar", "Webinar", "Webinar"), []string{"webinars"}},
	{"phone", l("Teléfono", "Telefone", "Phone"), []string{"telefono", "telefone", "telephone", "call", "phone call", "llamada", "ligação", "cold call", "cellular", "celular", "mobile"}},
	{"import", l("Importación", "Importação", "Import"), nil},
	{"partner", l("Socio", "Parceiro", "Partner"), []string{"partners", "reseller", "distribuidor", "distributor"}},
	{"unknown", l("Desconocido", "Desconhecido", "Unknown"), []string{"desconocida", "desconhecida", "not known"}},
}

var actionTypes = []Code{
	{"price_request", l("Solicitud de precio", "Pedido de preço", "Price request"), []string{"quote", "quote request", "cotización", "cotizacion", "cotação", "solicitar cotización", "request a quote", "pricing"}},
	{"demo_request", l("Solicitud de demo", "Pedido de demonstração", "Demo request"), []string{"demo", "request a demo", "demostración", "demonstração"}},
	{"form_submission", l("Formulario enviado", "Formulário enviado", "Form submitted"), []string{"form submitted", "form submit", "landing page submission", "lead form", "formulario enviado", "formulário enviado", "formulario", "formulário"}},
	{"contact_form", l("Formulario de contacto", "Formulário de contato", "Contact form"), []string{"contact", "contact us", "contact request", "contacto", "contato", "fale conosco", "contáctenos"}},
	{"webinar_attended", l("Asistió al webinar", "Participou do webinar", "Webinar attended"), []string{"attended", "webinar attendee", "asistente webinar"}},
	{"webinar_registered", l("Inscrito en webinar", "Inscrito no webinar", "Webinar registered"), []string{"registered", "webinar registration", "registro webinar"}},
	{"content_download", l("Descarga de contenido", "Download de conteúdo", "Content download"), []string{"white paper", "whitepaper", "white paper download", "ebook", "ebook download", "download", "descarga"}},
	{"newsletter_signup", l("Suscripción al boletín", "Inscrição na newsletter", "Newsletter sign-up"), []string{"newsletter", "subscribe", "suscripción", "inscrição"}},
	{"referral", l("Referido", "Indicação", "Referral"), []string{"referido", "indicação"}},
	{"business_card", l("Tarjeta de presentación", "Cartão de visita", "Business card"), []string{"tarjeta", "cartão"}},
	{"trial_signup", l("Prueba gratuita", "Teste grátis", "Trial sign-up"), []string{"free trial", "trial", "prueba", "teste gratis"}},
}
