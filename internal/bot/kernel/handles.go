package kernel

import (
	"strings"
)

func Named(handles []string, h string) bool {
	if len(handles) == 0 {
		return true
	}
	for _, x := range handles {
		if strings.EqualFold(x, h) {
			return true
		}
	}
	return false
}
