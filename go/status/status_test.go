package status

import (
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	base := Snapshot{
		CopiedRows:    12000,
		EstimatedRows: 100000,
		AppliedEvents: 57,
		BacklogLen:    0,
		BacklogCap:    1000,
		Elapsed:       3*time.Second + 400*time.Millisecond,
		CopyElapsed:   2 * time.Second,
		Coordinates:   "mysql-bin.000003:4567",
		ReplicaLag:    20 * time.Millisecond,
		HeartbeatLag:  50 * time.Millisecond,
	}
	tests := []struct {
		name   string
		modify func(*Snapshot)
		want   string
	}{
		{
			name:   "migrating",
			modify: func(*Snapshot) {},
			want:   "Copy: 12000/100000 12.0%; Applied: 57; Backlog: 0/1000; Time: 3s(total), 2s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: migrating; ETA: 14s",
		},
		{
			name:   "throttled",
			modify: func(s *Snapshot) { s.ThrottleReason = "lag=2.1s" },
			want:   "Copy: 12000/100000 12.0%; Applied: 57; Backlog: 0/1000; Time: 3s(total), 2s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: throttled, lag=2.1s; ETA: 14s",
		},
		{
			name: "postponed wins over throttled and makes ETA due",
			modify: func(s *Snapshot) {
				s.ThrottleReason = "commanded by user"
				s.CutOverPostponed = true
				s.CopiedRows = 100000
				s.CopyComplete = true
			},
			want: "Copy: 100000/100000 100.0%; Applied: 57; Backlog: 0/1000; Time: 3s(total), 2s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: postponing cut-over; ETA: due",
		},
		{
			name:   "custom state",
			modify: func(s *Snapshot) { s.State = "counting rows"; s.CopiedRows = 0; s.CopyElapsed = 0 },
			want:   "Copy: 0/100000 0.0%; Applied: 57; Backlog: 0/1000; Time: 3s(total), 0s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: counting rows; ETA: N/A",
		},
		{
			name: "long run",
			modify: func(s *Snapshot) {
				s.Elapsed = 2*time.Hour + 5*time.Minute + 3*time.Second
				s.CopyElapsed = time.Hour
				s.CopiedRows = 50000
				s.BacklogLen = 998
			},
			want: "Copy: 50000/100000 50.0%; Applied: 57; Backlog: 998/1000; Time: 2h5m3s(total), 1h0m0s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: migrating; ETA: 1h0m0s",
		},
		{
			name:   "checkpointed",
			modify: func(s *Snapshot) { s.Checkpointed, s.CheckpointAge = true, 4500*time.Millisecond },
			want:   "Copy: 12000/100000 12.0%; Applied: 57; Backlog: 0/1000; Time: 3s(total), 2s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: migrating; ETA: 14s; Checkpoint: 4s ago",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			tt.modify(&s)
			if got := s.Line(); got != tt.want {
				t.Errorf("Line()\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestETA(t *testing.T) {
	tests := []struct {
		name      string
		s         Snapshot
		want      time.Duration
		wantKnown bool
		wantText  string
	}{
		{"nothing copied", Snapshot{EstimatedRows: 1000, CopyElapsed: time.Second}, 0, false, "N/A"},
		{"no copy time yet", Snapshot{EstimatedRows: 1000, CopiedRows: 10}, 0, false, "N/A"},
		{"below noise floor", Snapshot{EstimatedRows: 1000000, CopiedRows: 999, CopyElapsed: time.Second}, 0, false, "N/A"},
		{"at noise floor", Snapshot{EstimatedRows: 1000000, CopiedRows: 1000, CopyElapsed: time.Second}, 999 * time.Second, true, "16m39s"},
		{"half way", Snapshot{EstimatedRows: 200, CopiedRows: 100, CopyElapsed: 10 * time.Second}, 10 * time.Second, true, "10s"},
		{"under a second left", Snapshot{EstimatedRows: 1000, CopiedRows: 999, CopyElapsed: 10 * time.Second}, 0, true, "due"},
		{"copied more than estimated", Snapshot{EstimatedRows: 100, CopiedRows: 120, CopyElapsed: time.Second}, 0, true, "due"},
		{"complete", Snapshot{EstimatedRows: 1000, CopiedRows: 10, CopyComplete: true}, 0, true, "due"},
		{"empty table", Snapshot{}, 0, true, "due"},
		{"postponed", Snapshot{EstimatedRows: 1000, CutOverPostponed: true}, 0, true, "due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known := tt.s.ETA()
			if got != tt.want || known != tt.wantKnown {
				t.Errorf("ETA() = %v, %v; want %v, %v", got, known, tt.want, tt.wantKnown)
			}
			if text := tt.s.ETAText(); text != tt.wantText {
				t.Errorf("ETAText() = %q; want %q", text, tt.wantText)
			}
		})
	}
}

func TestProgress(t *testing.T) {
	tests := []struct {
		s    Snapshot
		want float64
	}{
		{Snapshot{}, 100},
		{Snapshot{EstimatedRows: 4, CopiedRows: 1}, 25},
		{Snapshot{EstimatedRows: 4, CopiedRows: 5}, 125},
	}
	for _, tt := range tests {
		if got := tt.s.Progress(); got != tt.want {
			t.Errorf("%+v.Progress() = %v; want %v", tt.s, got, tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{-time.Second, "0s"},
		{999 * time.Millisecond, "0s"},
		{1500 * time.Millisecond, "1s"},
		{65 * time.Second, "1m5s"},
		{2 * time.Hour, "2h0m0s"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q; want %q", tt.d, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{
			Summary{RowsCopied: 100000, EventsApplied: 57, Elapsed: 15 * time.Second, CopyDuration: 12 * time.Second, CutOverBlock: 250 * time.Millisecond},
			"Done: copied 100000 rows in 12s; applied 57 events; total 15s; cut-over blocked writes for 250ms",
		},
		{
			Summary{},
			"Done: copied 0 rows in 0s; applied 0 events; cut-over blocked writes for 0ms",
		},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("String()\n got: %s\nwant: %s", got, tt.want)
		}
	}
}

func TestStateTextCutOverWaiting(t *testing.T) {
	for _, c := range []struct {
		s    Snapshot
		want string
	}{
		{Snapshot{State: "cutting over", CutOverWaiting: "connection 7 (a@b) holding a lock on d.t for 3s"}, "cut-over waiting: connection 7 (a@b) holding a lock on d.t for 3s"},
		{Snapshot{State: "cutting over", CutOverWaiting: "x", ThrottleReason: "lag"}, "cut-over waiting: x"},
		{Snapshot{State: "cutting over", CutOverPostponed: true, CutOverWaiting: "x"}, "postponing cut-over"},
		{Snapshot{State: "cutting over", ThrottleReason: "lag"}, "throttled, lag"},
	} {
		if got := c.s.StateText(); got != c.want {
			t.Errorf("%+v: StateText %q, want %q", c.s, got, c.want)
		}
	}
}
