package server

import (
	"container/list"
	"sync"
)

// lruCache is httpcache.Cache bounded in bytes, least recently used entries
// evicted first. httpcache.NewMemoryCache keeps every response it is given
// for the life of the process, once per installation's client (issue 12).
type lruCache struct {
	mu      sync.Mutex
	max     int64 // bytes of keys and values
	size    int64
	order   *list.List // front: most recently used
	entries map[string]*list.Element
}

type lruEntry struct {
	key   string
	value []byte
}

// newLRUCache holds up to max bytes; one response over an eighth of that is
// not cached at all, so that it cannot flush everything else.
func newLRUCache(max int64) *lruCache {
	return &lruCache{max: max, order: list.New(), entries: map[string]*list.Element{}}
}

func (c *lruCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).value, true
}

func (c *lruCache) Set(key string, value []byte) {
	n := int64(len(key) + len(value))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(key)
	if n > c.max/8 {
		return
	}
	c.entries[key] = c.order.PushFront(&lruEntry{key, value})
	c.size += n
	for c.size > c.max {
		c.remove(c.order.Back().Value.(*lruEntry).key)
	}
}

func (c *lruCache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(key)
}

// Size is the bytes held.
func (c *lruCache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

func (c *lruCache) remove(key string) {
	e, ok := c.entries[key]
	if !ok {
		return
	}
	en := c.order.Remove(e).(*lruEntry)
	delete(c.entries, key)
	c.size -= int64(len(en.key) + len(en.value))
}
