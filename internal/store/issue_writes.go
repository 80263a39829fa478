package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// IssueWrite is what cohortbot last did to one issue on GitHub.
type IssueWrite struct {
	// Written is when the last write of any kind was sent (service clock).
	Written time.Time
	// Base is the GitHub updated_at of the copy of the issue the last body
	// write was computed from; OutsideSHA hashes that body's text outside
	// the bot-owned regions ("" when cohortbot never wrote the body).
	Base       time.Time
	OutsideSHA string
	// LabelsBase is the updated_at of the copy the last write that replaced
	// the whole label set was computed from, Labels the set it wrote (zero
	// and nil when cohortbot never replaced the set).
	LabelsBase time.Time
	Labels     []string
}

// NoteIssueWrite records that a write to repo#number is about to be sent at
// at. The recorded time only moves forward.
func (s *Store) NoteIssueWrite(ctx context.Context, repo string, number int, at time.Time) error {
	_, err := s.Exec(ctx, `INSERT INTO issue_writes (repo, number, written_ms) VALUES (?, ?, ?)
		ON CONFLICT (repo, number) DO UPDATE SET written_ms = excluded.written_ms
		WHERE excluded.written_ms > issue_writes.written_ms`, strings.ToLower(repo), number, at.UnixMilli())
	return err
}

// NoteBodyWrite records the body cohortbot just wrote to repo#number: the
// updated_at of the copy it was based on and the hash of its human part.
func (s *Store) NoteBodyWrite(ctx context.Context, repo string, number int, base time.Time, outsideSHA string) error {
	_, err := s.Exec(ctx, `INSERT INTO issue_writes (repo, number, base_ms, outside_sha) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo, number) DO UPDATE SET base_ms = excluded.base_ms, outside_sha = excluded.outside_sha`,
		strings.ToLower(repo), number, base.UnixMilli(), outsideSHA)
	return err
}

// NoteLabelsWrite records the label set cohortbot just wrote to
// repo#number (replacing the issue's labels) and the updated_at of the copy
// it was computed from.
func (s *Store) NoteLabelsWrite(ctx context.Context, repo string, number int, base time.Time, labels []string) error {
	_, err := s.Exec(ctx, `INSERT INTO issue_writes (repo, number, labels_base_ms, labels) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo, number) DO UPDATE SET labels_base_ms = excluded.labels_base_ms, labels = excluded.labels`,
		strings.ToLower(repo), number, base.UnixMilli(), strings.Join(labels, "\n"))
	return err
}

// LastIssueWrite returns what cohortbot last did to repo#number; ok is false
// when it never wrote to it.
func (s *Store) LastIssueWrite(ctx context.Context, repo string, number int) (w IssueWrite, ok bool, err error) {
	var written, base, labelsBase int64
	var labels string
	err = s.QueryRow(ctx, `SELECT written_ms, base_ms, outside_sha, labels_base_ms, labels FROM issue_writes
		WHERE repo = ? AND number = ?`, strings.ToLower(repo), number).Scan(&written, &base, &w.OutsideSHA, &labelsBase, &labels)
	if errors.Is(err, sql.ErrNoRows) {
		return IssueWrite{}, false, nil
	}
	if err != nil {
		return IssueWrite{}, false, err
	}
	w.Written, w.Base = time.UnixMilli(written), time.UnixMilli(base)
	if labelsBase > 0 {
		w.LabelsBase, w.Labels = time.UnixMilli(labelsBase), strings.Split(labels, "\n")
	}
	return w, true, nil
}
