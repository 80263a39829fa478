package store

import (
	"context"
	"database/sql/driver"
	"reflect"

	"modernc.org/sqlite"
)

// stmtCacheSize bounds the statements one SQLite connection keeps prepared.
// River uses a few dozen distinct statements and cohortbot about a hundred;
// when the cache is full it is emptied and fills again.
const stmtCacheSize = 256

// stmtConnector opens modernc SQLite connections that keep their statements
// prepared. database/sql prepares a statement again for every Exec and Query
// on a connection, and modernc's parser is pure Go: River's job insert alone
// took a fifth of an intake's CPU to parse (issue 7, docs/PERFORMANCE.md),
// and every fetch and completion of the workers parses River's long
// statements again too.
type stmtConnector struct {
	dsn    string
	driver *sqlite.Driver
}

func (c *stmtConnector) Connect(context.Context) (driver.Conn, error) {
	dc, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	if sc, ok := dc.(sqliteConn); ok {
		return &stmtConn{sqliteConn: sc, stmts: map[string]*cachedStmt{}}, nil
	}
	return dc, nil // not the driver this was written for: no cache
}

func (c *stmtConnector) Driver() driver.Driver { return c.driver }

// plainConnector opens modernc connections without the cache (the
// ablation benchmarks' baseline).
type plainConnector struct {
	dsn    string
	driver *sqlite.Driver
}

func (c plainConnector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }

func (c plainConnector) Driver() driver.Driver { return c.driver }

// sqliteConn is what database/sql uses of a modernc connection.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// cachedStmt is a prepared statement; busy while rows read from it are
// open, when a second use of the same text prepares a statement of its own.
type cachedStmt struct {
	s    sqliteStmt
	busy bool
}

// stmtConn is a connection with its statement cache. database/sql never
// uses a connection from two goroutines at once, so the map needs no lock.
type stmtConn struct {
	sqliteConn
	stmts map[string]*cachedStmt
}

// stmt returns the cached statement for query, preparing it if needed, or
// nil when it is busy or cannot be cached.
func (c *stmtConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if cs, ok := c.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	ds, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s, ok := ds.(sqliteStmt)
	if !ok {
		ds.Close()
		return nil, nil
	}
	if len(c.stmts) >= stmtCacheSize {
		c.evict()
	}
	cs := &cachedStmt{s: s}
	c.stmts[query] = cs
	return cs, nil
}

// evict closes the statements not in use.
func (c *stmtConn) evict() {
	for q, cs := range c.stmts {
		if !cs.busy {
			cs.s.Close()
			delete(c.stmts, q)
		}
	}
}

// drop forgets a statement whose use failed, so that the next use starts
// from a fresh one.
func (c *stmtConn) drop(query string, cs *cachedStmt) {
	if c.stmts[query] == cs {
		delete(c.stmts, query)
	}
	cs.s.Close()
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil || cs == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	res, err := cs.s.ExecContext(ctx, args)
	if err != nil {
		c.drop(query, cs)
	}
	return res, err
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil || cs == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	cs.busy = true
	rows, err := cs.s.QueryContext(ctx, args)
	if err != nil {
		cs.busy = false
		c.drop(query, cs)
		return nil, err
	}
	return &stmtRows{Rows: rows, release: func() { cs.busy = false }}, nil
}

func (c *stmtConn) Close() error {
	for q, cs := range c.stmts {
		cs.s.Close()
		delete(c.stmts, q)
	}
	return c.sqliteConn.Close()
}

// stmtRows frees its statement for the next use when closed, and passes
// on the column type information modernc's rows give.
type stmtRows struct {
	driver.Rows
	release func()
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}

func (r *stmtRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *stmtRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *stmtRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *stmtRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *stmtRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
