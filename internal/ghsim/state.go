package ghsim

import (
	"sort"
	"strings"
	"time"
)

// Repo is a repository of the sim.
type Repo struct {
	ID            int64
	Owner         string
	Name          string
	FullName      string
	Private       bool
	DefaultBranch string
	Installation  int64
}

// Issue is a copy of an issue or pull request of the sim.
type Issue struct {
	ID          int64
	NodeID      string
	Repo        string
	Number      int
	Title       string
	Body        string
	State       string // "open" or "closed"
	StateReason string // "", "completed", "not_planned", "reopened"
	User        string
	Labels      []string
	Assignees   []string
	IsPR        bool
	Merged      bool
	Comments    int
	Parent      int // number of the parent issue (sub-issues), 0 if none
	Reactions   []Reaction
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time // zero while open
	HTMLURL     string
	Locked      bool // see LockIssue
	// Gone is "deleted" or "transferred" once the issue left the
	// repository (gone.go); its REST routes then answer 404 (410 to
	// reading a deleted one, as GitHub does).
	Gone string
}

// Comment is a copy of an issue comment of the sim.
type Comment struct {
	ID        int64
	NodeID    string
	Repo      string
	Issue     int
	Body      string
	User      string
	CreatedAt time.Time
	UpdatedAt time.Time
	HTMLURL   string
	Reactions []Reaction
}

// Reaction is a reaction on an issue or comment.
type Reaction struct {
	ID        int64
	User      string
	Content   string
	CreatedAt time.Time
}

// Label is a repository label.
type Label struct {
	ID          int64
	Name        string
	Color       string
	Description string
	Default     bool
}

// Review is a pull request review.
type Review struct {
	ID          int64
	User        string
	State       string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
	Body        string
	SubmittedAt time.Time
}

type user struct {
	id    int64
	login string
	bot   bool
	org   bool
}

type installation struct {
	id      int64
	account *user
	created time.Time
}

type repo struct {
	Repo
	owner  *user
	issues []*issue // index number-1
	labels []*Label
	files  map[string]string
	perms  map[string]string // lower login -> permission
}

type issue struct {
	Issue
	repo      *repo
	user      *user
	reactions []*Reaction
	comments  []*comment
	subIssues []*issue
	parent    *issue
	reviewers []string
	reviews   []*Review
}

type comment struct {
	Comment
	issue     *issue
	user      *user
	reactions []*Reaction
}

type state struct {
	s            *Sim
	nextID       int64
	users        map[string]*user
	installs     map[int64]*installation
	repos        map[string]*repo
	issuesByID   map[int64]*issue
	comments     map[int64]*comment
	tokens       map[string]tokenInfo
	teams        map[string]map[string]bool // "org/team" -> logins (lower)
	bot          *user
	subIssuesOff bool
}

func (st *state) init(s *Sim) {
	st.s = s
	st.nextID = 1000000
	st.users = map[string]*user{}
	st.installs = map[int64]*installation{}
	st.repos = map[string]*repo{}
	st.issuesByID = map[int64]*issue{}
	st.comments = map[int64]*comment{}
	st.tokens = map[string]tokenInfo{}
	st.teams = map[string]map[string]bool{}
	st.bot = st.ensureUser(s.BotLogin())
	st.bot.bot = true
}

func (st *state) newID() int64 {
	st.nextID++
	return st.nextID
}

// ensureUser returns the user with that login, creating it if needed.
func (st *state) ensureUser(login string) *user {
	login = strings.TrimPrefix(login, "@")
	if u := st.users[strings.ToLower(login)]; u != nil {
		return u
	}
	u := &user{id: st.newID(), login: login}
	st.users[strings.ToLower(login)] = u
	return u
}

func (st *state) lookupUser(login string) *user {
	return st.users[strings.ToLower(login)]
}

func (st *state) repo(fullName string) *repo {
	return st.repos[strings.ToLower(fullName)]
}

// permission is the user's effective role on the repo: "admin", "maintain",
// "write", "triage", "read" or "none".
func (r *repo) permission(login string) string {
	if p, ok := r.perms[strings.ToLower(login)]; ok {
		return p
	}
	if strings.EqualFold(login, r.Owner) && !r.owner.org {
		return "admin"
	}
	return "none"
}

func (r *repo) label(name string) *Label {
	for _, l := range r.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

func (r *repo) issue(n int) *issue {
	if n < 1 || n > len(r.issues) {
		return nil
	}
	return r.issues[n-1]
}

// AddInstallation adds an installation of the App on the account (an organization).
func (s *Sim) AddInstallation(id int64, account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.ensureUser(account)
	u.org = true
	s.st.installs[id] = &installation{id: id, account: u, created: s.now()}
}

// AddRepo adds a repository "owner/name" to the installation, with default
// branch "main", and returns a copy of it.
func (s *Sim) AddRepo(installationID int64, fullName string, private bool) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	owner, name, _ := strings.Cut(fullName, "/")
	r := &repo{
		Repo: Repo{
			ID: s.st.newID(), Owner: owner, Name: name, FullName: fullName,
			Private: private, DefaultBranch: "main", Installation: installationID,
		},
		owner: s.st.ensureUser(owner),
		files: map[string]string{},
		perms: map[string]string{},
	}
	s.st.repos[strings.ToLower(fullName)] = r
	cp := r.Repo
	return &cp
}

// AddUser makes a user known to the sim (users named elsewhere are created on first use).
func (s *Sim) AddUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.ensureUser(login)
}

// SetPermission sets login's role on repo: "admin", "maintain", "write",
// "triage", "read" or "none".
func (s *Sim) SetPermission(repo, login, perm string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(repo)
	s.st.ensureUser(login)
	r.perms[strings.ToLower(login)] = perm
}

// AddTeamMember makes login an active member of the team org/teamSlug.
func (s *Sim) AddTeamMember(org, teamSlug, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.ensureUser(login)
	k := strings.ToLower(org + "/" + teamSlug)
	if s.st.teams[k] == nil {
		s.st.teams[k] = map[string]bool{}
	}
	s.st.teams[k][strings.ToLower(login)] = true
}

// PutFile stores a file on the repo's default branch (served by the contents API).
func (s *Sim) PutFile(repo, path, content string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustRepo(repo).files[strings.Trim(path, "/")] = content
}

func (s *Sim) mustRepo(fullName string) *repo {
	r := s.st.repo(fullName)
	if r == nil {
		panic("ghsim: unknown repo " + fullName + " (call AddRepo first)")
	}
	return r
}

func (s *Sim) mustIssue(repo string, n int) *issue {
	is := s.mustRepo(repo).issue(n)
	if is == nil {
		panic("ghsim: unknown issue " + repo + "#" + itoa(n))
	}
	return is
}

func (is *issue) hasLabel(name string) bool {
	for _, l := range is.Labels {
		if strings.EqualFold(l, name) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
