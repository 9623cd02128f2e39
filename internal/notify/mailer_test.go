package notify_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/notify"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/waterfall"
)

// fourHours routes every price request to team sales with a first touch
// due in four business hours on the Colombian calendar.
const fourHours = `
name: four hours
timezone: America/Bogota
calendar: {country: CO, timezone: America/Bogota, hours: "08:00-17:00"}
lead:
  when: action.type == "price_request"
bands:
  - {name: hot, action: route}
sla:
  - {name: standard, first_touch: 4 business hours}
routing:
  default: sales
  teams:
    sales: {label: Sales}
`

// received is one message the test's SMTP server accepted.
type received struct {
	From string
	To   []string
	Data []byte
}

// mailServer is a real SMTP server on the loopback interface: the
// mailer's conversation with it is the same as with any relay. refuse
// makes it answer RCPT with that error for an address.
type mailServer struct {
	mu     sync.Mutex
	got    []received
	refuse map[string]*smtp.SMTPError
	addr   *net.TCPAddr
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ms := &mailServer{refuse: map[string]*smtp.SMTPError{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{ms: ms}, nil }))
	srv.Domain = "mail.test"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.addr = ln.Addr().(*net.TCPAddr)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ms
}

func (ms *mailServer) messages() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.got...)
}

type session struct {
	ms   *mailServer
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if err := s.ms.refuse[to]; err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ms.mu.Lock()
	s.ms.got = append(s.ms.got, received{From: s.from, To: s.to, Data: b})
	s.ms.mu.Unlock()
	return nil
}

// env is intake, waterfall and mailer on one database, one clock and a
// real SMTP server.
type env struct {
	t    *testing.T
	db   *store.DB
	clk  *testenv.Clock
	in   *intake.Service
	wf   *waterfall.Service
	mail *notify.Mailer
	smtp *mailServer
}

func newEnv(t *testing.T, target storetest.Target) *env {
	t.Helper()
	return newEnvIn(t, target, "es")
}

// newEnvIn is newEnv with the server's default language.
func newEnvIn(t *testing.T, target storetest.Target, defaultLang string) *env {
	t.Helper()
	db := target.Open(t)
	bogota, _ := time.LoadLocation("America/Bogota")
	clk := testenv.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, bogota)) // a Tuesday
	in, err := intake.New(context.Background(), intake.Config{DB: db, Now: clk.Now, MaxBatch: 16})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.Close)
	if _, err := in.AddDefinition(context.Background(), "four.yaml", []byte(fourHours), true); err != nil {
		t.Fatal(err)
	}
	log := testenv.Logger()
	ms := startMailServer(t)
	cat, err := i18n.New(defaultLang)
	if err != nil {
		t.Fatal(err)
	}
	cfg := notify.Config{
		SMTP:      notify.SMTP{Host: "127.0.0.1", Port: ms.addr.Port, TLS: notify.TLSNone, Timeout: 5 * time.Second},
		From:      "Pista <pista@example.com>",
		PublicURL: "https://pista.example.com/",
		Catalog:   cat,
	}
	return &env{t: t, db: db, clk: clk, in: in, wf: waterfall.New(waterfall.Config{Intake: in, Now: clk.Now, Log: log}),
		mail: notify.New(db, cfg, log, clk.Now), smtp: ms}
}

func (e *env) user(name, role, lang, tz string) *store.User {
	e.t.Helper()
	now := e.clk.Now()
	u := &store.User{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com", Role: role, Language: lang, Timezone: tz,
		Active: true, CreatedAt: now, UpdatedAt: now}
	if err := e.db.InsertUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) fire() {
	e.t.Helper()
	if _, err := e.wf.FireDue(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) send() int {
	e.t.Helper()
	n, err := e.mail.SendDue(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) priceRequest(email string) int64 {
	e.t.Helper()
	ans, err := e.in.Submit(context.Background(), intake.Inquiry{
		Person:  lead.Person{Email: email, FirstName: "Laura", LastName: "Chen"},
		Company: lead.Company{Name: "Helix Bio", Country: "CO"},
		Action:  lead.Action{Type: "price_request"},
	}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	var res struct {
		LeadID int64 `json:"lead_id"`
	}
	if err := json.Unmarshal(ans.Encoded, &res); err != nil || res.LeadID == 0 {
		e.t.Fatalf("no lead in %s: %v", ans.Encoded, err)
	}
	return res.LeadID
}

// parsed is a received message as a reader sees it.
type parsed struct {
	To, Subject, Body, Lang string
}

func parse(t *testing.T, r received) parsed {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(r.Data)))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, r.Data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return parsed{To: strings.Join(r.To, ","), Subject: subject, Body: string(body), Lang: m.Header.Get("Content-Language")}
}

// TestNotificationsBySMTP follows one lead through what its people are
// told: the rep (Portuguese, São Paulo time) gets the assignment and the
// warning before the first touch falls due, the manager (English) gets
// the breach, and after the manager reassigns it the new rep (Spanish)
// and the old one hear of it. Each message goes through a real SMTP
// conversation and is checked for recipient, language and link.
func TestNotificationsBySMTP(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target)
			boss := e.user("Mary Manager", "manager", "en", "America/New_York")
			rita := e.user("Rita Rep", "rep", "pt", "America/Sao_Paulo")
			team := &store.Team{Name: "sales", ManagerID: boss.ID, Members: []store.Member{{UserID: rita.ID, Weight: 1}}}
			if err := e.db.PutTeam(ctx, team, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
			id := e.priceRequest("laura@helixbio.com")
			e.fire()
			link := fmt.Sprintf("https://pista.example.com/app/leads/%d", id)

			if n := e.send(); n != 1 {
				t.Fatalf("%d e-mails sent after the assignment, want 1", n)
			}
			m := parse(t, e.smtp.messages()[0])
			if m.To != "rita@example.com" || m.Lang != "pt" || m.Subject != "Novo lead atribuído: Laura Chen" ||
				!strings.Contains(m.Body, "Olá Rita Rep,") || !strings.Contains(m.Body, "Laura Chen (Helix Bio) agora é seu") || !strings.Contains(m.Body, link) {
				t.Fatalf("assignment e-mail: %+v", m)
			}
			if got := e.smtp.messages()[0].From; got != "pista@example.com" {
				t.Errorf("envelope sender %q", got)
			}
			if n, err := e.db.UnreadNotifications(ctx, rita.ID); err != nil || n != 1 {
				t.Fatalf("Rita has %d unread notifications (%v), want 1", n, err)
			}

			// Due at 13:00 Bogotá; warned two business hours before, at
			// 11:00 Bogotá, shown as 15:00 in São Paulo.
			e.clk.Advance(time.Hour + 59*time.Minute)
			e.fire()
			if n := e.send(); n != 0 {
				t.Fatalf("%d e-mails a minute before the warning", n)
			}
			e.clk.Advance(time.Minute)
			e.fire()
			if n := e.send(); n != 1 {
				t.Fatalf("%d e-mails at the warning time, want 1", n)
			}
			m = parse(t, e.smtp.messages()[1])
			if m.To != "rita@example.com" || m.Subject != "Primeiro contato vence em breve: Laura Chen" ||
				!strings.Contains(m.Body, "vence em 01/12/2026 15:00 -03") || !strings.Contains(m.Body, link) {
				t.Fatalf("warning e-mail: %+v", m)
			}

			e.clk.Advance(2 * time.Hour)
			e.fire()
			if n := e.send(); n != 1 {
				t.Fatalf("%d e-mails at the breach, want 1 (the manager)", n)
			}
			m = parse(t, e.smtp.messages()[2])
			if m.To != "mary@example.com" || m.Lang != "en" || m.Subject != "First touch breached: Laura Chen" ||
				!strings.Contains(m.Body, "Rita Rep did not make the first touch of Laura Chen (Helix Bio), due Dec 1, 2026 13:00 EST") ||
				!strings.Contains(m.Body, link) {
				t.Fatalf("breach e-mail: %+v", m)
			}

			// The manager gives the lead to Beto, who reads Spanish.
			beto := e.user("Beto Rep", "rep", "es", "America/Bogota")
			if _, err := e.wf.Assign(ctx, id, waterfall.Actor{User: boss, Role: "manager", Name: boss.Email}, beto.ID, "Rita is away"); err != nil {
				t.Fatal(err)
			}
			if n := e.send(); n != 2 {
				t.Fatalf("%d e-mails after the reassignment, want 2", n)
			}
			byTo := map[string]parsed{}
			for _, r := range e.smtp.messages()[3:] {
				p := parse(t, r)
				byTo[p.To] = p
			}
			if m := byTo["beto@example.com"]; m.Subject != "Lead reasignado a ti: Laura Chen" || m.Lang != "es" ||
				!strings.Contains(m.Body, "mary@example.com te reasignó Laura Chen (Helix Bio)") || !strings.Contains(m.Body, link) {
				t.Errorf("new owner's e-mail: %+v", m)
			}
			if m := byTo["rita@example.com"]; m.Subject != "Lead reatribuído: Laura Chen" ||
				!strings.Contains(m.Body, "não é mais seu: mary@example.com o reatribuiu a Beto Rep") {
				t.Errorf("old owner's e-mail: %+v", m)
			}

			list, err := e.db.Notifications(ctx, rita.ID, 0, 10)
			if err != nil || len(list) != 3 {
				t.Fatalf("Rita's list: %d, %v; want 3", len(list), err)
			}
			if list[0].Kind != store.NotifyTakenAway || list[2].Kind != store.NotifyAssigned || list[0].MailStatus != store.MailSent {
				t.Errorf("Rita's list, newest first: %s (%s), %s, %s", list[0].Kind, list[0].MailStatus, list[1].Kind, list[2].Kind)
			}
			if n, err := e.db.MarkNotificationsRead(ctx, rita.ID, []int64{list[0].ID, list[1].ID}, e.clk.Now()); err != nil || n != 2 {
				t.Fatalf("marked %d read: %v", n, err)
			}
			if n, _ := e.db.MarkNotificationsRead(ctx, beto.ID, []int64{list[2].ID}, e.clk.Now()); n != 0 {
				t.Errorf("Beto marked %d of Rita's notifications read", n)
			}
			if n, _ := e.db.UnreadNotifications(ctx, rita.ID); n != 1 {
				t.Errorf("Rita has %d unread, want 1", n)
			}
		})
	}
}

// TestMailRetried: a mail server that answers "try again later" gets the
// e-mail again after the backoff; one that refuses the mailbox for good
// (5xx) is not asked again. Intake and routing never wait for either.
func TestMailRetried(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target)
			rita := e.user("Rita Rep", "rep", "en", "")
			gone := e.user("Gone Rep", "rep", "en", "")
			team := &store.Team{Name: "sales", Members: []store.Member{{UserID: rita.ID, Weight: 1}, {UserID: gone.ID, Weight: 1}}}
			if err := e.db.PutTeam(ctx, team, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
			e.smtp.refuse["rita@example.com"] = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy"}
			e.smtp.refuse["gone@example.com"] = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
			e.priceRequest("ana@acme-one.com")
			e.priceRequest("bob@acme-two.com")
			e.fire()
			if n := e.send(); n != 0 {
				t.Fatalf("%d e-mails accepted by a refusing server", n)
			}
			state := func(u *store.User) (string, int, string) {
				list, err := e.db.Notifications(ctx, u.ID, 0, 1)
				if err != nil || len(list) != 1 {
					t.Fatalf("%s: %d notifications, %v", u.Name, len(list), err)
				}
				s, a, msg, err := e.db.MailState(ctx, list[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				return s, a, msg
			}
			if s, a, msg := state(rita); s != store.MailPending || a != 1 || !strings.Contains(msg, "mailbox busy") {
				t.Errorf("temporary refusal: %s after %d attempts (%s), want pending after 1", s, a, msg)
			}
			if s, a, msg := state(gone); s != store.MailFailed || a != 1 || !strings.Contains(msg, "no such user") {
				t.Errorf("permanent refusal: %s after %d attempts (%s), want failed after 1", s, a, msg)
			}
			delete(e.smtp.refuse, "rita@example.com")
			e.clk.Advance(20 * time.Second)
			if n := e.send(); n != 0 {
				t.Fatalf("retried %d e-mails before the backoff", n)
			}
			e.clk.Advance(15 * time.Second)
			if n := e.send(); n != 1 {
				t.Fatalf("retried %d e-mails after the backoff, want 1", n)
			}
			if s, a, _ := state(rita); s != store.MailSent || a != 2 {
				t.Errorf("after the retry: %s after %d attempts", s, a)
			}
			if got := len(e.smtp.messages()); got != 1 {
				t.Errorf("the server accepted %d messages, want 1", got)
			}
		})
	}
}

// TestMailInDefaultLanguage: a person with no language of their own gets
// e-mails in the server's default language (--default-language); one
// with a language, in theirs.
func TestMailInDefaultLanguage(t *testing.T) {
	target := storetest.Targets()[0]
	for _, c := range []struct{ def, userLang, want, subject string }{
		{"en", "", "en", "New lead assigned: Laura Chen"},
		{"pt", "", "pt", "Novo lead atribuído: Laura Chen"},
		{"en", "es", "es", "Nuevo lead asignado: Laura Chen"},
	} {
		t.Run(c.def+"-"+cmp.Or(c.userLang, "none"), func(t *testing.T) {
			ctx := context.Background()
			e := newEnvIn(t, target, c.def)
			boss := e.user("Mary Manager", "manager", "en", "America/New_York")
			rita := e.user("Rita Rep", "rep", c.userLang, "America/Sao_Paulo")
			team := &store.Team{Name: "sales", ManagerID: boss.ID, Members: []store.Member{{UserID: rita.ID, Weight: 1}}}
			if err := e.db.PutTeam(ctx, team, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
			e.priceRequest("laura@helixbio.com")
			e.fire()
			if n := e.send(); n != 1 {
				t.Fatalf("%d e-mails sent after the assignment, want 1", n)
			}
			if m := parse(t, e.smtp.messages()[0]); m.Lang != c.want || m.Subject != c.subject {
				t.Errorf("e-mail in %q: %q, want %q", m.Lang, m.Subject, c.subject)
			}
		})
	}
}
