// Package importer reads spreadsheets of leads (webinar attendee lists,
// typed-up business cards, purchased lists) into intake.Inquiry values,
// one per row, the way marketing ops load them, and runs imports: Run hands
// each row's Inquiry to intake (or counts it invalid for Missing and Err);
// the command line and the API both call it. Reading alone (Open, Next)
// does no database work.
//
//	opts, err := importer.LoadMapping("examples/imports/bank-marketing.yaml")
//	f, err := importer.Open("bank-full.csv", opts)
//	defer f.Close()
//	for {
//		row, err := f.Next()
//		if err == io.EOF { break }
//		// row.Err: unreadable; row.Missing: invalid; else row.Inquiry
//	}
//
// # Files
//
// .csv, .tsv and .txt are CSV: UTF-8 with or without a BOM, UTF-16 with a
// BOM, or Windows-1252 when the first 16 KB are not UTF-8 (Excel on
// Windows); CRLF or LF; quoted fields with separators and newlines; the
// delimiter sniffed among , ; tab | as the one that splits the first lines
// into the same number (more than one) of fields as the header, ties going
// in that order (tab first for .tsv). A record longer than 16 MB stops the
// reading (a quote never closed). .xlsx is read with excelize's streaming
// rows; the default short date format reads as 2026-11-10. The first
// non-blank row is the header; rows whose cells are all blank are skipped
// and counted (BlankRows).
//
// Memory does not grow with the file: Next holds one row.
//
// # Columns
//
// Suggested proposes a lead field for each header from its name in es, pt
// or en, ignoring case, accents, spaces and punctuation; unknown headers
// become person.attributes.<snake_case header>, so nothing is lost.
// Options.Map overrides suggestions; "-" ignores a column. Fields a web
// form can fill are read by webform.Map, with its cleaning (blank words
// such as N/A, none, Select, unknown, ninguno, não informado, sin dato mean
// missing; employees ranges, money, country names, seniority synonyms, name
// splitting, phones to E.164 with Options.Country). The importer reads
// the rest: person.age, person.years_experience, company.divisions (whole
// numbers), person.gender, person.education, person.income (money),
// person.specialties, company.products, company.markets,
// company.rankings (lists split on ; | ,), source.external_id, action.type
// and action.at. A value that cannot be read is kept in action.props
// under the column's snake_case name, with a note.
//
// A column that alone fills an attribute or prop is typed by the first
// pass: number when every value seen is a plain number (no thousands
// separators, no leading zeros, so codes like 007 stay text), yes/no
// (yes/no, sí/no, sim/não, true/false) when every value is one, else text;
// so a definition can write person.attributes.balance > 1000. A later
// value that does not fit stays text, with a note.
//
// # Dates
//
// action.at accepts ISO 8601 (2026-11-10, 2026-11-10T15:04:05Z,
// 2026-11-10 15:04), DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY and MM/DD/YYYY with
// an optional time (15:04, 3:04 PM), month names in en/es/pt ("10 nov
// 2026", "November 10, 2026", "10 de noviembre de 2026") and XLSX date
// cells (read as their serial number, exact). Dates without an offset are
// in Options.Timezone (UTC by default).
//
// 03/04/2026 is the 3rd of April or the 4th of March: it is never guessed.
// With DateOrder "" each date column's order is sniffed: Open reads the
// first 10,000 data rows once ahead (a CSV is read again from the start,
// an XLSX sheet's rows are iterated twice) and a value whose first part is
// over 12 (25/12/2026) proves dmy, one whose second part is (12/25/2026)
// proves mdy. With proof of one order the column is read in it, and a
// value that contradicts it gets a note. With no proof, or proof of both,
// an ambiguous value is left empty with the note "date 03/04/2026 is
// ambiguous; set --date-order dmy or mdy" (unambiguous ones, and those
// whose day and month are equal, are read). The order is fixed after the
// first pass; later rows do not change it, so a row reads the same
// whatever follows it. An unreadable date leaves action.at empty (intake
// then uses the import time), never a guess.
//
// # Identity and the action
//
// Intake recognises a person by e-mail, phone or source.external_id.
// A row's external id is its source.external_id column; else, with
// Options.KeyColumns, "<file name>#<key values joined by |>"; else, when
// the file maps no e-mail, phone or external id at all (bank-style data),
// "<file name>#<line>", so that importing the same file again gives the
// same ids. A row that still has no readable e-mail, phone or external id
// lists person.email|person.phone|source.external_id in Missing.
//
// Every row records an action: its action.type column, else
// Options.Action; Open fails when neither exists. Its time is the
// action.at column, else Options.ActionAt, else empty (intake's now).
// source.format is Options.Format ("import" by default), source.channel
// "import" unless a column says otherwise, source.campaign the campaign
// column or Options.Campaign.
//
// Row.Notes, also kept in action.props.import_notes, say what was cleaned
// or could not be read.
package importer
