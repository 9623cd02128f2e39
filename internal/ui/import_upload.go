package ui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/ui/view"
)

// importUpload receives a spreadsheet and shows the suggested mapping of
// its columns to lead fields, to confirm or change.
func (u *UI) importUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return problem.Coded(problem.Invalid, "import_no_file", nil, "attach the CSV or XLSX file")
	}
	defer file.Close()
	b := make([]byte, 12)
	rand.Read(b)
	token := hex.EncodeToString(b)
	path, err := importer.SaveUpload(filepath.Join(u.importDir, "ui-"+token), hdr.Filename, file)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	p := &view.ImportMapping{Base: u.base(r, rq, "imp.map_title"), Upload: token, Name: name, Campaign: r.PostFormValue("campaign")}
	return u.mappingPage(w, r, rq, p, importer.Options{Campaign: p.Campaign}, false)
}

// uploadToken is a token as importUpload makes them.
var uploadToken = regexp.MustCompile(`^[0-9a-f]{24}$`)

// uploadPath is where an uploaded file was kept, or an error when the
// form names none (or an old one that was cleaned up).
func (u *UI) uploadPath(token, name string) (string, error) {
	path := filepath.Join(u.importDir, "ui-"+token, filepath.Base("/"+name))
	if !uploadToken.MatchString(token) {
		return "", problem.Coded(problem.NotFound, "import_gone", nil, "the uploaded file is gone; upload it again")
	}
	if _, err := os.Stat(path); err != nil {
		return "", problem.Coded(problem.NotFound, "import_gone", nil, "the uploaded file is gone; upload it again")
	}
	return path, nil
}

// mappingPage opens the uploaded file with the options chosen so far and
// shows each column with its field; with preview, the first rows' dry
// run too. A file that cannot be read with these options is shown with
// why, so the mapping can be changed.
func (u *UI) mappingPage(w http.ResponseWriter, r *http.Request, rq *request, p *view.ImportMapping, opts importer.Options, preview bool) error {
	path, err := u.uploadPath(p.Upload, p.Name)
	if err != nil {
		return err
	}
	lim := u.importLimits
	lim.TempDir = filepath.Dir(path)
	f, err := importer.OpenLimited(path, opts, lim)
	status := http.StatusOK
	if err != nil {
		var le *importer.LimitError
		if errors.As(err, &le) || f == nil {
			return problem.Fields("the spreadsheet cannot be imported", problem.Field{Name: "file", Reason: err.Error()})
		}
	}
	defer f.Close()
	mapping, mapErr := f.Mapping()
	questions, auto := fileQuestions(path, opts, lim)
	if mapErr != nil && opts.Action == "" && auto != nil {
		// Right after the upload no action is chosen yet, which stops the
		// mapping before columns are typed: show the columns as they will
		// be read.
		mapping = auto
	}
	fields := importer.Fields()
	for i, h := range f.Header() {
		chosen := mapping[h]
		col := view.ImportColumn{Index: i, Header: h, Unknown: f.Suggested()[h] == ""}
		col.Ask = askText(rq, questions, h, chosen)
		col.Fields = append(col.Fields, view.Option{Value: "-", Label: rq.P.T("imp.ignore"), Selected: chosen == "" || chosen == "-"})
		list := fields
		if chosen != "" && chosen != "-" && !slices.Contains(fields, chosen) {
			list = append([]string{chosen}, fields...)
		}
		for _, fl := range list {
			col.Fields = append(col.Fields, view.Option{Value: fl, Label: fl, Selected: fl == chosen})
		}
		p.Columns = append(p.Columns, col)
	}
	if a := u.svc.Active(); a != nil {
		for _, act := range slices.Sorted(maps.Keys(a.Def.Inquiry.Actions)) {
			p.Actions = append(p.Actions, view.Option{Value: act, Label: u.label(rq.P, "action.type", act), Selected: act == opts.Action})
		}
	}
	p.Action = opts.Action
	if mapErr != nil {
		// Right after the upload this is what to choose next, not a
		// refusal.
		p.Error = mapErr.Error()
		if r.PostFormValue("step") != "" {
			status = http.StatusUnprocessableEntity
		}
	} else if preview {
		if err := u.preview(r, rq, f, opts, p); err != nil {
			p.Error = err.Error()
			status = http.StatusUnprocessableEntity
		}
	}
	return u.render(w, status, "import_map", p)
}

// fileQuestions are the columns the file's own reading maps differently
// from what their names suggest (a "campaign" of numbers), and that
// reading. They are asked again after the mapping was confirmed (the dry
// run and the run carry it as chosen), so the explanation stays beside
// the column. Column types do not depend on the action: without one,
// the file is read as if one were chosen.
func fileQuestions(path string, opts importer.Options, lim importer.Limits) ([]importer.Question, map[string]string) {
	o := opts
	o.Map = nil
	if o.Action == "" {
		o.Action = "list_import"
	}
	g, err := importer.OpenLimited(path, o, lim)
	if err != nil {
		return nil, nil
	}
	defer g.Close()
	m, err := g.Mapping()
	if err != nil {
		return nil, nil
	}
	return g.Questions(), m
}

// askText explains, in the user's language, why the column header is
// read as it is, while it is still read so (or as its name suggests);
// "" for a column nothing was asked about.
func askText(rq *request, questions []importer.Question, header, chosen string) string {
	for _, q := range questions {
		if q.Header == header && (chosen == q.Mapped || chosen == q.Suggested) {
			return rq.P.T("imp.ask_numeric", rq.P.Int(int64(q.Values)), q.Mapped, q.Suggested)
		}
	}
	return ""
}

// formOptions reads the mapping form: a field per column (map_<i>), the
// action of rows without one, the campaign.
func (u *UI) formOptions(r *http.Request) (*view.ImportMapping, importer.Options, error) {
	p := &view.ImportMapping{Upload: r.PostFormValue("upload"), Name: r.PostFormValue("name"),
		Campaign: strings.TrimSpace(r.PostFormValue("campaign"))}
	opts := importer.Options{Campaign: p.Campaign, Action: r.PostFormValue("action"), Map: map[string]string{}}
	for i := 0; ; i++ {
		h, ok := r.PostForm["header_"+strconv.Itoa(i)]
		if !ok {
			break
		}
		if len(h) != 1 || i > 10_000 {
			return nil, opts, fmt.Errorf("ui: bad mapping form")
		}
		opts.Map[h[0]] = r.PostFormValue("map_" + strconv.Itoa(i))
	}
	return p, opts, nil
}
