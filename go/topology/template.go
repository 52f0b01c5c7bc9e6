package topology

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// EnvCache selects the data dir template cache: unset = the user cache dir, "off" = initialise
// every data dir from scratch, anything else = the cache directory to use.
const EnvCache = "GHOST_TOPOLOGY_CACHE"

// templateFormat is part of the cache key; bump it when the template's content changes meaning.
const templateFormat = "1"

// templateMaxIdle is how long an unused template stays in the cache.
const templateMaxIdle = 14 * 24 * time.Hour

// Why a template: initialising a data dir (mariadb-install-db, mysqld --initialize-insecure) costs
// 0.5 s on an idle machine and 2-3 s while tests compile and run beside it. Copying an initialised,
// cleanly shut down data dir costs under 0.1 s. The template is built once per server binary,
// version and extra server arguments, and never contains binary logs, so copies start with empty
// GTID state.

// cacheDir returns the template cache directory, or "" when the cache is off.
func cacheDir() string {
	switch v := os.Getenv(EnvCache); v {
	case "off":
		return ""
	case "":
		// Not named ghost-topology-*: sweepStale removes such directories from the temp dir.
		if base, err := os.UserCacheDir(); err == nil {
			return filepath.Join(base, "ghost", "templates")
		}
		return filepath.Join(os.TempDir(), "ghost-templates")
	default:
		return v
	}
}

// templateKey identifies a template: the server binary (path, size, mtime, version) and the
// extra arguments, which may change how the data dir is initialised (page size, log size...).
func templateKey(bin localBinary, extra []string) (string, error) {
	fi, err := os.Stat(bin.server)
	if err != nil {
		return "", fmt.Errorf("template key: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%d %d\n%s\n%s\n%d\n", templateFormat, bin.server, bin.install,
		fi.Size(), fi.ModTime().UnixNano(), bin.versionLine, strings.Join(extra, "\x00"), os.Geteuid())
	return bin.flavor + "-" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// dataDirTemplate returns the path of an initialised data dir for bin and extra, building and
// caching it on first use. It returns "" when the cache is off.
func dataDirTemplate(ctx context.Context, bin localBinary, extra []string, log func(string, ...any)) (string, error) {
	root := cacheDir()
	if root == "" {
		return "", nil
	}
	key, err := templateKey(bin, extra)
	if err != nil {
		return "", err
	}
	final := filepath.Join(root, key)
	if templateValid(final) {
		// The manifest's mtime records the last use, for pruneTemplates.
		now := time.Now()
		_ = os.Chtimes(filepath.Join(final, "manifest"), now, now)
		return filepath.Join(final, "data"), nil
	}
	pruneTemplates(root, log)
	if err := os.RemoveAll(final); err != nil { // a damaged template (e.g. a cleaner removed files)
		return "", fmt.Errorf("remove damaged template: %w", err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("template cache: %w", err)
	}
	work, err := os.MkdirTemp(root, "building-")
	if err != nil {
		return "", fmt.Errorf("template cache: %w", err)
	}
	defer os.RemoveAll(work)
	log("building data dir template %s (once per server version and arguments)", final)
	initDir := filepath.Join(work, "init")
	if err := initDataDir(ctx, filepath.Join(initDir, "data"), filepath.Join(work, "install.log"), bin, extra); err != nil {
		return "", err
	}
	// The template itself is stored sparse: the redo log is mostly zeros.
	stage := filepath.Join(work, "template")
	manifest, err := copyTree(filepath.Join(initDir, "data"), filepath.Join(stage, "data"))
	if err != nil {
		return "", fmt.Errorf("template cache: %w", err)
	}
	if err := os.WriteFile(filepath.Join(stage, "manifest"), manifest, 0o644); err != nil {
		return "", fmt.Errorf("template cache: %w", err)
	}
	if err := os.Rename(stage, final); err != nil {
		// Another process finished the same template first: use theirs.
		if templateValid(final) {
			return filepath.Join(final, "data"), nil
		}
		return "", fmt.Errorf("template cache: %w", err)
	}
	return filepath.Join(final, "data"), nil
}

// pruneTemplates removes templates unused for templateMaxIdle (and abandoned builds), so that a
// cache fed with changing extra arguments does not grow for ever.
func pruneTemplates(root string, log func(string, ...any)) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		fi, err := os.Stat(filepath.Join(dir, "manifest"))
		if strings.HasPrefix(e.Name(), "building-") {
			fi, err = os.Stat(dir)
		}
		if err != nil || time.Since(fi.ModTime()) < templateMaxIdle {
			continue
		}
		if err := os.RemoveAll(dir); err == nil {
			log("removed unused data dir template %s", dir)
		}
	}
}

// templateValid checks a template against its manifest (every file present with its size).
func templateValid(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "manifest"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	files := 0
	for sc.Scan() {
		name, size, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return false
		}
		fi, err := os.Stat(filepath.Join(dir, "data", name))
		if err != nil || !fi.Mode().IsRegular() || strconv.FormatInt(fi.Size(), 10) != size {
			return false
		}
		files++
	}
	return sc.Err() == nil && files > 0
}

// copyTree copies the regular files and directories under src to dst (which must not exist),
// writing runs of zeros as holes. It returns a manifest: one "relative path<TAB>size" per file.
func copyTree(src, dst string) ([]byte, error) {
	var manifest bytes.Buffer
	buf := make([]byte, 64<<10)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode().IsRegular():
			if err := copySparse(path, target, info.Mode().Perm(), buf); err != nil {
				return err
			}
			fmt.Fprintf(&manifest, "%s\t%d\n", rel, info.Size())
			return nil
		default:
			return fmt.Errorf("copy %s: not a regular file or directory", path)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", src, err)
	}
	return manifest.Bytes(), nil
}

// copySparse copies one file, seeking over all-zero blocks instead of writing them.
func copySparse(src, dst string, perm fs.FileMode, buf []byte) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zero := make([]byte, len(buf))
	var size int64
	for {
		n, rerr := io.ReadFull(in, buf)
		if n > 0 {
			if bytes.Equal(buf[:n], zero[:n]) {
				if _, err := out.Seek(int64(n), io.SeekCurrent); err != nil {
					return err
				}
			} else if _, err := out.Write(buf[:n]); err != nil {
				return err
			}
			size += int64(n)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	// A trailing hole needs the size set explicitly.
	return out.Truncate(size)
}

// copyDataDir fills s.DataDir from a template.
func copyDataDir(template string, s *Server) error {
	if _, err := copyTree(template, s.DataDir); err != nil {
		return fmt.Errorf("copy data dir template: %w", err)
	}
	// MySQL keeps the server's UUID in auto.cnf; each copy must make its own or replication
	// refuses to connect (equal UUIDs on source and replica).
	if err := os.Remove(filepath.Join(s.DataDir, "auto.cnf")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("copy data dir template: %w", err)
	}
	return nil
}
