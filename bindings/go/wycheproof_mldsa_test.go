package pqshift

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The Wycheproof ML-DSA verify vectors (../shared/vectors, 631 cases),
// through every provider that serves ML-DSA, each chosen the way users
// choose one: a TOML file with [verify] provider, loaded with LoadConfig.
// Expected verdicts come from the JSON files alone.

// projectRoot is the checkout's root, seen from this package's directory
// (where go test runs).
var projectRoot = filepath.Join("..", "..")

// vectorsDir is $PQSHIFT_VECTORS (a relative path is taken from the project
// root), else ../shared/vectors next to the checkout.
func vectorsDir() string {
	if p := os.Getenv("PQSHIFT_VECTORS"); p != "" {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(projectRoot, p)
	}
	return filepath.Join(projectRoot, "..", "shared", "vectors")
}

func inCI() bool {
	v := os.Getenv("CI")
	return v == "true" || v == "1"
}

// sharedVector is the path of a file under the vectors directory; when it is
// absent the test is skipped ("skipped: vectors not found"), except under
// CI=true, where absence is a failure.
func sharedVector(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(vectorsDir(), rel)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if inCI() {
		t.Fatalf("vectors not found: %s (set PQSHIFT_VECTORS; under CI=true absence is a failure)", p)
	}
	t.Skipf("skipped: vectors not found (%s)", p)
	return ""
}

type wycheproofMLDSA struct {
	NumberOfTests int `json:"numberOfTests"`
	TestGroups    []struct {
		PublicKey string `json:"publicKey"`
		Tests     []struct {
			TcID   int      `json:"tcId"`
			Msg    string   `json:"msg"`
			Ctx    string   `json:"ctx"`
			Sig    string   `json:"sig"`
			Result string   `json:"result"`
			Flags  []string `json:"flags"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// mldsaCase is one test with the verdict the vectors demand.
type mldsaCase struct {
	tcID          int
	pk, msg, ctx  []byte
	sig           []byte
	valid         bool
	wantMalformed bool // ErrInvalidInput; otherwise (invalid) ErrInvalidSignature
}

type mldsaFile struct {
	alg, name             string
	total, valid, invalid int // from the JSON `result` fields
	cases                 []mldsaCase
}

var mldsaFiles = []struct{ alg, name string }{
	{"ml-dsa-44", "mldsa_44_verify_test.json"},
	{"ml-dsa-65", "mldsa_65_verify_test.json"},
	{"ml-dsa-87", "mldsa_87_verify_test.json"},
}

// Wycheproof flags of "invalid" cases that are malformed input, not a
// signature that fails to verify (InvalidContext: a context over 255 bytes).
var mldsaMalformedFlags = map[string]bool{
	"IncorrectPublicKeyLength": true,
	"IncorrectSignatureLength": true,
	"InvalidContext":           true,
}

func loadMLDSAFiles(t *testing.T) []mldsaFile {
	t.Helper()
	var files []mldsaFile
	for _, f := range mldsaFiles {
		path := sharedVector(t, filepath.Join("wycheproof", "testvectors_v1", f.name))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var w wycheproofMLDSA
		if err := json.Unmarshal(data, &w); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out := mldsaFile{alg: f.alg, name: f.name}
		for _, g := range w.TestGroups {
			pk := unhex(t, g.PublicKey)
			for _, tc := range g.Tests {
				c := mldsaCase{tcID: tc.TcID, pk: pk, msg: unhex(t, tc.Msg), ctx: unhex(t, tc.Ctx), sig: unhex(t, tc.Sig)}
				switch tc.Result {
				case "valid":
					c.valid = true
					out.valid++
				case "invalid":
					for _, fl := range tc.Flags {
						c.wantMalformed = c.wantMalformed || mldsaMalformedFlags[fl]
					}
					out.invalid++
				default:
					t.Fatalf("%s tcId %d: unexpected result %q", f.name, tc.TcID, tc.Result)
				}
				out.total++
				out.cases = append(out.cases, c)
			}
		}
		if out.total != w.NumberOfTests {
			t.Fatalf("%s: %d tests, numberOfTests says %d", f.name, out.total, w.NumberOfTests)
		}
		files = append(files, out)
	}
	return files
}

// mldsaProviders lists the providers serving ML-DSA and the algorithms each
// serves, from the built `pqshift providers --json` ($PQSHIFT_CLI, which
// scripts/test-go sets, else target/debug/pqshift): the binding has no
// provider listing, and a provider linked later must not be skipped.
func mldsaProviders(t *testing.T) map[string][]string {
	t.Helper()
	cli := cliPath()
	out, err := exec.Command(cli, "providers", "--json").Output()
	if err != nil {
		t.Fatalf("%s providers --json: %v (build it: cargo build -p pqshift-cli, or set PQSHIFT_CLI)", cli, err)
	}
	var rows []struct {
		Algorithm string `json:"algorithm"`
		Provider  string `json:"provider"`
	}
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("%s providers --json: %v", cli, err)
	}
	served := map[string][]string{}
	for _, r := range rows {
		if strings.HasPrefix(r.Algorithm, "ml-dsa-") {
			served[r.Provider] = append(served[r.Provider], r.Algorithm)
		}
	}
	for _, p := range []string{"liboqs", "pqclean", "rustcrypto"} {
		if len(served[p]) != len(mldsaFiles) {
			t.Errorf("provider %s serves %v according to %s providers --json, not the three ML-DSA parameter sets", p, served[p], cli)
		}
	}
	return served
}

// cliPath is the built pqshift command: $PQSHIFT_CLI, else target/debug/pqshift.
func cliPath() string {
	if cli := os.Getenv("PQSHIFT_CLI"); cli != "" {
		return cli
	}
	target := os.Getenv("CARGO_TARGET_DIR")
	if target == "" {
		target = filepath.Join(projectRoot, "target")
	}
	return filepath.Join(target, "debug", "pqshift")
}

// loadConfigText writes a configuration file and loads it with LoadConfig;
// it returns the configuration and the file's path.
func loadConfigText(t *testing.T, name, toml string) (*Config, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig of\n%s: %v", toml, err)
	}
	t.Cleanup(func() { _ = cfg.Close() })
	return cfg, path
}

// cliVerdict runs `pqshift --config FILE verify` on a case, as a user of the
// CLI would, and returns the kind of its answer in the CLI's words: "valid",
// "invalid signature" (exit 1), or the kind its error message starts with
// ("policy violation", "provider failure", "invalid input", ...).
func cliVerdict(t *testing.T, configPath, alg string, c *mldsaCase) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"pk.hex":  []byte(hex.EncodeToString(c.pk)),
		"sig.hex": []byte(hex.EncodeToString(c.sig)),
		"msg":     c.msg,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"--config", configPath, "verify", "--alg", alg,
		"--pub-raw", filepath.Join(dir, "pk.hex"), "--sig", filepath.Join(dir, "sig.hex")}
	if len(c.ctx) > 0 {
		args = append(args, "--context", hex.EncodeToString(c.ctx))
	}
	out, err := exec.Command(cliPath(), append(args, filepath.Join(dir, "msg"))...).CombinedOutput()
	text := strings.TrimSpace(string(out))
	var exit *exec.ExitError
	switch {
	case err == nil:
		return text
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return text
	case errors.As(err, &exit) && exit.ExitCode() == 2:
		kind, _, _ := strings.Cut(strings.TrimPrefix(text, "error: "), ":")
		return kind
	}
	t.Fatalf("pqshift %s: %v\n%s", strings.Join(args, " "), err, out)
	return ""
}

// bindingVerdict is the kind of a Go result in the CLI's words.
func bindingVerdict(err error) string {
	switch {
	case err == nil:
		return "valid"
	case errors.Is(err, ErrInvalidSignature):
		return "invalid signature"
	case errors.Is(err, ErrPolicy):
		return "policy violation"
	case errors.Is(err, ErrProvider):
		return "provider failure"
	case errors.Is(err, ErrInvalidInput):
		return "invalid input"
	}
	return err.Error()
}

// sameAsCLI checks that the binding and the CLI give one kind of answer.
func sameAsCLI(t *testing.T, configPath, alg string, c *mldsaCase, err error) {
	t.Helper()
	if got, cli := bindingVerdict(err), cliVerdict(t, configPath, alg, c); got != cli {
		t.Errorf("%s tcId %d under %s: the binding says %q, the CLI %q", alg, c.tcID, filepath.Base(configPath), got, cli)
	}
}

// verifyMLDSACase is what a user's program does with a raw public key and a
// raw signature: load the key under the configuration, verify under it.
func verifyMLDSACase(cfg *Config, alg string, c *mldsaCase) error {
	key, err := NewVerifyingKeyFromBytes(alg, c.pk, WithConfig(cfg))
	if err != nil {
		return err
	}
	defer key.Close()
	return key.VerifyRaw(c.msg, c.sig, c.ctx)
}

func (c *mldsaCase) verdictOK(err error) bool {
	switch {
	case c.valid:
		return err == nil
	case c.wantMalformed:
		return errors.Is(err, ErrInvalidInput)
	default:
		return errors.Is(err, ErrInvalidSignature)
	}
}

func (c *mldsaCase) want() string {
	switch {
	case c.valid:
		return "valid"
	case c.wantMalformed:
		return "ErrInvalidInput"
	default:
		return "ErrInvalidSignature"
	}
}

func TestWycheproofMLDSA(t *testing.T) {
	files := loadMLDSAFiles(t)
	served := mldsaProviders(t)
	providers := make([]string, 0, len(served))
	for p := range served {
		providers = append(providers, p)
	}
	sort.Strings(providers)
	for _, p := range providers {
		algs := served[p]
		sort.Strings(algs)
		t.Run(p, func(t *testing.T) {
			quoted := make([]string, len(algs))
			for i, a := range algs {
				quoted[i] = fmt.Sprintf("%q", a)
			}
			// [sign] is required; it names the same provider, so that the
			// configuration loads whatever state the other providers are in.
			cfg, _ := loadConfigText(t, "pqshift.toml", fmt.Sprintf(
				"[sign]\nalgorithm = %s\nprovider = %q\n[verify]\naccept = [%s]\nprovider = %q\n",
				quoted[0], p, strings.Join(quoted, ", "), p))
			for _, f := range files {
				if !slices.Contains(algs, f.alg) {
					continue
				}
				t.Run(f.name, func(t *testing.T) {
					total, validOK, invalidOK := 0, 0, 0
					var wrong []string
					for i := range f.cases {
						c := &f.cases[i]
						total++
						err := verifyMLDSACase(cfg, f.alg, c)
						if !c.verdictOK(err) {
							got := "valid"
							if err != nil {
								got = err.Error()
							}
							wrong = append(wrong, fmt.Sprintf("tcId %d: want %s, got %s", c.tcID, c.want(), got))
							continue
						}
						if c.valid {
							validOK++
						} else {
							invalidOK++
						}
					}
					t.Logf("wycheproof %s provider %s: %d cases (expected %d), %d/%d valid accepted, %d/%d invalid rejected",
						f.name, p, total, f.total, validOK, f.valid, invalidOK, f.invalid)
					if total != f.total || validOK != f.valid || invalidOK != f.invalid {
						t.Errorf("%s provider %s: %d cases, %d/%d valid accepted, %d/%d invalid rejected; %d wrong:\n%s",
							f.name, p, total, validOK, f.valid, invalidOK, f.invalid, len(wrong), strings.Join(wrong, "\n"))
					}
				})
			}
		})
	}
}

// mldsaCaseByID finds one case of a file.
func mldsaCaseByID(t *testing.T, files []mldsaFile, alg string, tcID int) *mldsaCase {
	t.Helper()
	for fi := range files {
		if files[fi].alg != alg {
			continue
		}
		for i := range files[fi].cases {
			if files[fi].cases[i].tcID == tcID {
				return &files[fi].cases[i]
			}
		}
	}
	t.Fatalf("%s tcId %d not in the vectors", alg, tcID)
	return nil
}

func firstValidMLDSA(t *testing.T, files []mldsaFile, alg string) *mldsaCase {
	t.Helper()
	for fi := range files {
		if files[fi].alg != alg {
			continue
		}
		for i := range files[fi].cases {
			if files[fi].cases[i].valid {
				return &files[fi].cases[i]
			}
		}
	}
	t.Fatalf("no valid %s case in the vectors", alg)
	return nil
}

// [verify] accept and [shadow], enforced by the facade's Policy: each answer
// is also asked of the CLI (the same configuration file, the same bytes), and
// must be of the same kind.
func TestWycheproofMLDSAPolicy(t *testing.T) {
	files := loadMLDSAFiles(t)
	valid := firstValidMLDSA(t, files, "ml-dsa-44")
	// ML-DSA-44 tcId 81: z over the norm bound (InfinityNormViolation).
	znorm := mldsaCaseByID(t, files, "ml-dsa-44", 81)
	// ML-DSA-44 tcId 5: a 256-byte context (InvalidContext).
	longCtx := mldsaCaseByID(t, files, "ml-dsa-44", 5)

	t.Run("accept", func(t *testing.T) {
		// pqclean throughout: this checks the policy, not a provider.
		yes, yesPath := loadConfigText(t, "yes.toml",
			"[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n[verify]\nprovider = \"pqclean\"\n")
		no, noPath := loadConfigText(t, "no.toml", "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"pqclean\"\n"+
			"[verify]\naccept = [\"ml-dsa-65\", \"ml-dsa-87\"]\nprovider = \"pqclean\"\n")
		err := verifyMLDSACase(yes, "ml-dsa-44", valid)
		if err != nil {
			t.Errorf("ml-dsa-44 accepted: tcId %d: %v", valid.tcID, err)
		}
		sameAsCLI(t, yesPath, "ml-dsa-44", valid, err)
		err = verifyMLDSACase(yes, "ml-dsa-44", longCtx)
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ml-dsa-44 accepted: tcId %d: want ErrInvalidInput, got %v", longCtx.tcID, err)
		}
		sameAsCLI(t, yesPath, "ml-dsa-44", longCtx, err)
		// Refused before any provider runs and before the facade checks the
		// context.
		for _, c := range []*mldsaCase{valid, znorm, longCtx} {
			err := verifyMLDSACase(no, "ml-dsa-44", c)
			if !errors.Is(err, ErrPolicy) {
				t.Errorf("ml-dsa-44 not accepted: tcId %d: want ErrPolicy, got %v", c.tcID, err)
			}
			sameAsCLI(t, noPath, "ml-dsa-44", c, err)
		}
	})

	// With liboqs verifying and pqclean shadowing, tcId 81 never verifies: a
	// disagreement is ErrProvider, agreement on rejection ErrInvalidSignature.
	t.Run("shadow", func(t *testing.T) {
		cfg, path := loadConfigText(t, "shadow.toml",
			"[sign]\nalgorithm = \"ml-dsa-44\"\n[verify]\nprovider = \"liboqs\"\n[shadow]\nprovider = \"pqclean\"\n")
		err := verifyMLDSACase(cfg, "ml-dsa-44", valid)
		if err != nil {
			t.Errorf("valid tcId %d under [shadow]: %v", valid.tcID, err)
		}
		sameAsCLI(t, path, "ml-dsa-44", valid, err)
		err = verifyMLDSACase(cfg, "ml-dsa-44", znorm)
		if !errors.Is(err, ErrProvider) && !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("tcId 81 under [shadow]: want ErrProvider or ErrInvalidSignature, got %v", err)
		}
		sameAsCLI(t, path, "ml-dsa-44", znorm, err)
		t.Logf("[verify] provider liboqs + [shadow] pqclean: ml-dsa-44 tcId 81 -> %v", err)
	})
}
