package main

import (
	"strings"
	"testing"
	"time"
)

// TestWindow: the window's edges, also across midnight, on a fake clock.
func TestWindow(t *testing.T) {
	at := func(hm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+hm, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		window string
		open   []string
		closed []string
	}{
		{"01:00-05:00", []string{"01:00", "03:30", "04:59"}, []string{"00:59", "05:00", "12:00", "23:59"}},
		{"22:30-04:15", []string{"22:30", "23:59", "00:00", "04:14"}, []string{"04:15", "12:00", "22:29"}},
	} {
		w, err := parseWindow(tc.window)
		if err != nil {
			t.Fatal(err)
		}
		for _, hm := range tc.open {
			if !w.open(at(hm)) {
				t.Errorf("%s: %s should be open", tc.window, hm)
			}
		}
		for _, hm := range tc.closed {
			if w.open(at(hm)) {
				t.Errorf("%s: %s should be closed", tc.window, hm)
			}
		}
	}
	if w, _ := parseWindow(""); !w.open(at("12:00")) {
		t.Error("no window: always open")
	}
	for _, bad := range []string{"1:00-5:00", "01:00-01:00", "25:00-05:00", "01:00"} {
		if _, err := parseWindow(bad); err == nil {
			t.Errorf("window %q accepted", bad)
		}
	}
}

// TestEntryArgs: defaults, then the entry's flags over them, then the queue's own.
func TestEntryArgs(t *testing.T) {
	args, err := entryArgs(map[string]any{"host": "r1", "chunk-size": int64(1000), "verbose": true},
		queueEntry{Database: "d", Table: "t", Alter: "ADD COLUMN x INT", Flags: map[string]any{"chunk-size": int64(50)}}, "--execute")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(args, " "); got != "--chunk-size=50 --host=r1 --verbose=true --database=d --table=t --alter=ADD COLUMN x INT --execute" {
		t.Errorf("args: %s", got)
	}
	if _, err := entryArgs(nil, queueEntry{Flags: map[string]any{"summary-file": "x"}}); err == nil || !strings.Contains(err.Error(), "set by the queue itself") {
		t.Errorf("a flag the queue sets: %v", err)
	}
}
