package throttle

import (
	"errors"
	"maps"
	"testing"
)

func TestParseLoad(t *testing.T) {
	tests := []struct {
		in        string
		want      Load
		canonical string
	}{
		{"", Load{}, ""},
		{"   ", Load{}, ""},
		{"Threads_running=25", Load{"Threads_running": 25}, "Threads_running=25"},
		{"Threads_running=25,Threads_connected=500", Load{"Threads_running": 25, "Threads_connected": 500}, "Threads_connected=500,Threads_running=25"},
		{" Threads_running = 25 , Threads_connected=0 ", Load{"Threads_running": 25, "Threads_connected": 0}, "Threads_connected=0,Threads_running=25"},
	}
	for _, tt := range tests {
		got, err := ParseLoad(tt.in)
		if err != nil {
			t.Errorf("ParseLoad(%q): %v", tt.in, err)
			continue
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("ParseLoad(%q) = %v; want %v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.canonical {
			t.Errorf("ParseLoad(%q).String() = %q; want %q", tt.in, s, tt.canonical)
		}
		again, err := ParseLoad(got.String())
		if err != nil || !maps.Equal(again, got) {
			t.Errorf("round trip of %q: %v, %v", tt.in, again, err)
		}
	}
}

func TestParseLoadErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Threads_running", `invalid load specification: "Threads_running" is not name=threshold`},
		{"Threads_running=25,", `invalid load specification: empty item #2 in "Threads_running=25,"`},
		{"=25", `invalid load specification: "" is not a status variable name`},
		{"Threads-running=25", `invalid load specification: "Threads-running" is not a status variable name`},
		{"x'y=1", `invalid load specification: "x'y" is not a status variable name`},
		{"Threads_running=-1", `invalid load specification: threshold "-1" for Threads_running is not a non-negative integer`},
		{"Threads_running=2.5", `invalid load specification: threshold "2.5" for Threads_running is not a non-negative integer`},
		{"Threads_running=", `invalid load specification: threshold "" for Threads_running is not a non-negative integer`},
		{"a=1,a=2", `invalid load specification: a given twice`},
	}
	for _, tt := range tests {
		_, err := ParseLoad(tt.in)
		if err == nil {
			t.Errorf("ParseLoad(%q) succeeded", tt.in)
			continue
		}
		if !errors.Is(err, ErrInvalidLoad) {
			t.Errorf("ParseLoad(%q) error %v does not wrap ErrInvalidLoad", tt.in, err)
		}
		if err.Error() != tt.want {
			t.Errorf("ParseLoad(%q) error\n got: %s\nwant: %s", tt.in, err, tt.want)
		}
	}
}
