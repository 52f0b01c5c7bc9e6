package alter

import (
	"fmt"
	"strings"
)

// tokenKind classifies what the lexer found.
type tokenKind int

const (
	tokWord   tokenKind = iota + 1 // keyword or unquoted identifier or number
	tokIdent                       // `backquoted identifier`
	tokString                      // 'string' or "string"
	tokPunct                       // any other single byte: , ; ( ) . = ...
)

// token is one significant lexeme of the input. Comments are not tokens; the
// content of executable comments (/*! ... */, /*M! ... */) is, because the
// server runs it.
type token struct {
	kind  tokenKind
	start int    // byte offset of the first byte
	end   int    // byte offset after the last byte
	value string // identifier without quotes; raw text otherwise
	exec  int    // index into lexed.execs when inside an executable comment, else -1
}

// upper returns the upper-cased word for keyword comparison; quoted
// identifiers and strings are never keywords.
func (t token) upper() string {
	if t.kind != tokWord {
		return ""
	}
	return strings.ToUpper(t.value)
}

func (t token) isPunct(b byte) bool {
	return t.kind == tokPunct && t.value == string(b)
}

// isName tells whether the token can be an identifier (column or table name).
func (t token) isName() bool {
	return t.kind == tokWord || t.kind == tokIdent
}

// span is a half-open byte range of the input.
type span struct{ start, end int }

// execComment is one executable comment: the opener (/*!12345 or /*M!123456)
// and the closer (*/).
type execComment struct {
	open, close span
}

// lexed is the input cut into tokens, with the places of comments and
// executable-comment markers, so that a copy of the text the server would
// actually run can be produced (see serverText).
type lexed struct {
	src      string
	tokens   []token
	comments []span // plain comments (-- , #, /* */, /*+ */, /*T! */)
	execs    []execComment
}

// lex cuts s into tokens the way the MySQL/MariaDB lexer does for the parts
// ghost needs: quoting, comments and executable comments. It assumes the
// default sql_mode (backslash escapes in strings, " quotes strings, not
// identifiers).
func lex(s string) (*lexed, error) {
	l := &lexed{src: s}
	inExec := -1
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '#':
			end := lineEnd(s, i)
			l.comments = append(l.comments, span{i, end})
			i = end
		case c == '-' && i+1 < len(s) && s[i+1] == '-' && (i+2 == len(s) || isSpace(s[i+2]) || s[i+2] < 0x20):
			// "--" starts a comment only when followed by a space or a
			// control character, as in MySQL; "a--1" is arithmetic.
			end := lineEnd(s, i)
			l.comments = append(l.comments, span{i, end})
			i = end
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			open := i + 2
			exec := false
			switch {
			case open < len(s) && s[open] == '!':
				open++
				exec = true
			case open+1 < len(s) && s[open] == 'M' && s[open+1] == '!':
				open += 2
				exec = true
			}
			if exec {
				if inExec >= 0 {
					return nil, fmt.Errorf("nested executable comment at offset %d", i)
				}
				for open < len(s) && s[open] >= '0' && s[open] <= '9' {
					open++
				}
				l.execs = append(l.execs, execComment{open: span{i, open}})
				inExec = len(l.execs) - 1
				i = open
				continue
			}
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated /* comment at offset %d", i)
			}
			end += i + 4
			l.comments = append(l.comments, span{i, end})
			i = end
		case c == '*' && inExec >= 0 && i+1 < len(s) && s[i+1] == '/':
			l.execs[inExec].close = span{i, i + 2}
			inExec = -1
			i += 2
		case c == '\'' || c == '"':
			end, err := quotedEnd(s, i, true)
			if err != nil {
				return nil, err
			}
			l.tokens = append(l.tokens, token{kind: tokString, start: i, end: end, value: s[i:end], exec: inExec})
			i = end
		case c == '`':
			end, err := quotedEnd(s, i, false)
			if err != nil {
				return nil, err
			}
			name := strings.ReplaceAll(s[i+1:end-1], "``", "`")
			l.tokens = append(l.tokens, token{kind: tokIdent, start: i, end: end, value: name, exec: inExec})
			i = end
		case isWordByte(c):
			end := i
			for end < len(s) && isWordByte(s[end]) {
				end++
			}
			l.tokens = append(l.tokens, token{kind: tokWord, start: i, end: end, value: s[i:end], exec: inExec})
			i = end
		default:
			l.tokens = append(l.tokens, token{kind: tokPunct, start: i, end: i + 1, value: s[i : i+1], exec: inExec})
			i++
		}
	}
	if inExec >= 0 {
		return nil, fmt.Errorf("unterminated executable comment at offset %d", l.execs[inExec].open.start)
	}
	return l, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isWordByte reports the bytes of unquoted identifiers, keywords and numbers;
// every byte of a multi-byte UTF-8 character counts, as in MySQL.
func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 ||
		(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func lineEnd(s string, i int) int {
	if n := strings.IndexByte(s[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(s)
}

// quotedEnd returns the offset after the closing quote of the quoted text
// starting at s[i]. A doubled quote is an escaped quote; inside strings a
// backslash escapes the next byte.
func quotedEnd(s string, i int, backslash bool) (int, error) {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case backslash && s[j] == '\\':
			j++
		case s[j] == q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1, nil
		}
	}
	what := "string"
	if q == '`' {
		what = "quoted identifier"
	}
	return 0, fmt.Errorf("unterminated %s starting at offset %d", what, i)
}

// serverText returns src[from:to] with comments blanked and the markers of
// executable comments blanked (their content kept), keeping every byte offset
// and line break. It is what the server executes, and what the TiDB parser
// is given: the TiDB lexer ignores /*M! ... */ content and runs /*T! ... */,
// the opposite of MariaDB.
func (l *lexed) serverText(from, to int) string {
	b := []byte(l.src[from:to])
	blank := func(sp span) {
		for k := max(sp.start, from); k < min(sp.end, to); k++ {
			if b[k-from] != '\n' {
				b[k-from] = ' '
			}
		}
	}
	for _, c := range l.comments {
		blank(c)
	}
	for _, e := range l.execs {
		blank(e.open)
		blank(e.close)
	}
	return string(b)
}
