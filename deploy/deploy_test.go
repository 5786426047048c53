package deploy

import (
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"alojamientos/db/dbtest"
	"alojamientos/internal/platform"
)

// tool finds a command the tests need. Absent, the test is skipped on a
// developer's machine and fails in CI (CI set): `make test` installs it
// (scripts/services.sh --promtool).
func tool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "" {
		t.Skipf("%s not installed (%s; `make test` does it)", name, install)
	}
	t.Fatalf("%s not installed and CI is set: %s", name, install)
	return ""
}

func runIn(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
	return string(out)
}

func TestPromtool(t *testing.T) {
	t.Parallel()
	promtool := tool(t, "promtool", "apt-get install prometheus")
	out := runIn(t, "prometheus", promtool, "check", "config", "prometheus.yml")
	require.Contains(t, out, "SUCCESS: 1 rule files found", "prometheus.yml loads alerts.yml")
	runIn(t, "prometheus", promtool, "check", "rules", "alerts.yml")
	out = runIn(t, "prometheus", promtool, "test", "rules", "alerts_test.yml")
	require.Contains(t, out, "SUCCESS")
}

// TestCaddyfile adapts the Caddyfile when caddy is installed (it is not
// part of `make test`: compose runs the official image).
func TestCaddyfile(t *testing.T) {
	t.Parallel()
	caddy, err := exec.LookPath("caddy")
	if err != nil {
		t.Skip("caddy not installed (apt-get install caddy)")
	}
	cmd := exec.Command(caddy, "adapt", "--config", "caddy/Caddyfile", "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "DOMAIN=reservas.example.ar")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "reservas.example.ar")
	require.Contains(t, string(out), `"uri":"/readyz"`)
}

// exportedMetrics is every metric family name the server's registry can
// expose: what it gathers now (Go and process collectors, plain counters,
// db_up…) plus what every collector describes, so that labelled vectors
// without observations yet count too. histograms holds the names whose
// _bucket, _sum and _count series exist.
func exportedMetrics(t *testing.T) (names, histograms map[string]bool) {
	t.Helper()
	clock := platform.NewTestClock(platform.SystemClock{}.Now())
	m := platform.NewMetrics()
	m.RegisterHealth(dbtest.New(t), platform.NewLocalShared(clock), clock)
	names, histograms = map[string]bool{}, map[string]bool{}

	mfs, err := m.Registry.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		names[mf.GetName()] = true
		if mf.GetType() == dto.MetricType_HISTOGRAM || mf.GetType() == dto.MetricType_SUMMARY {
			histograms[mf.GetName()] = true
		}
	}

	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	describe := func(c prometheus.Collector, histogram bool) {
		ch := make(chan *prometheus.Desc, 64)
		go func() { c.Describe(ch); close(ch) }()
		for d := range ch {
			n := fqName.FindStringSubmatch(d.String())
			require.NotNil(t, n, "descriptor %s", d)
			names[n[1]] = true
			if histogram {
				histograms[n[1]] = true
			}
		}
	}
	// Every collector field of Metrics, found by reflection so a new one
	// cannot be forgotten here.
	v := reflect.ValueOf(m).Elem()
	fields := 0
	for i := range v.NumField() {
		c, ok := v.Field(i).Interface().(prometheus.Collector)
		if !ok {
			continue
		}
		fields++
		switch c.(type) {
		case *prometheus.HistogramVec, prometheus.Histogram, *prometheus.SummaryVec, prometheus.Summary:
			describe(c, true)
		default:
			describe(c, false)
		}
	}
	require.GreaterOrEqual(t, fields, 10, "Metrics' collectors found by reflection")
	describe(&platform.HealthCollector{}, false)

	for _, want := range []string{"http_requests_total", "http_request_duration_seconds", "webhook_events_total",
		"ical_last_sync_age_minutes", "db_up", "redis_up", "river_jobs_backlog", "go_goroutines", "process_resident_memory_bytes"} {
		require.True(t, names[want], "the registry exports %s", want)
	}
	require.True(t, histograms["http_request_duration_seconds"])
	return names, histograms
}

var (
	promString   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	promMatchers = regexp.MustCompile(`\{[^}]*\}`)
	promRange    = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping = regexp.MustCompile(`(?i)\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promIdent    = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
	promKeywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true,
		"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
		"inf": true, "nan": true, "atan2": true}
)

// metricNames returns the metric names a PromQL expression selects: what is
// left once strings, label matchers, ranges, grouping labels, functions,
// aggregations (both followed by "("), keywords, numbers and Grafana's
// $variables are taken out.
func metricNames(expr string) []string {
	s := promString.ReplaceAllString(expr, `""`)
	s = promMatchers.ReplaceAllString(s, " ")
	s = promRange.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	var out []string
	for _, loc := range promIdent.FindAllStringIndex(s, -1) {
		if loc[0] > 0 && strings.ContainsRune("0123456789.$", rune(s[loc[0]-1])) {
			continue // 1e3, 5m, $__rate_interval
		}
		name := s[loc[0]:loc[1]]
		if promKeywords[strings.ToLower(name)] {
			continue
		}
		if rest := strings.TrimLeft(s[loc[1]:], " \t\n"); strings.HasPrefix(rest, "(") {
			continue // a function or an aggregation
		}
		out = append(out, name)
	}
	return out
}

func TestMetricNamesParser(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"http_request_duration_seconds_bucket", "http_request_duration_seconds_count"},
		metricNames(`histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/a|b(c)"}[$__rate_interval])))
			> 1e3 and on (route) sum without(instance) (rate(http_request_duration_seconds_count[5m] offset 1h)) > bool 0.1`))
	require.Equal(t, []string{"up"}, metricNames(`up{job="alojamientos"} == 0`))
	require.Equal(t, []string{"a", "b"}, metricNames(`max by (state) (a) / ignoring(x) group_left(y) b`))
}

// known reports whether a name in a query is exported: itself, or a
// histogram's series, or up (Prometheus's own, per target).
func known(name string, names, histograms map[string]bool) bool {
	if names[name] || name == "up" {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && histograms[base] {
			return true
		}
	}
	return false
}

type alertRules struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			For         string            `yaml:"for"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

type dashboard struct {
	UID    string `json:"uid"`
	Panels []struct {
		Type       string `json:"type"`
		Title      string `json:"title"`
		Datasource struct {
			UID string `json:"uid"`
		} `json:"datasource"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(b, v), path)
}

// TestQueriesNameExportedMetrics: every metric an alert or a dashboard panel
// asks for is one the server exports, so no alert or panel is silently empty.
func TestQueriesNameExportedMetrics(t *testing.T) {
	t.Parallel()
	names, histograms := exportedMetrics(t)
	for _, bogus := range []string{"http_requests", "webhook_events_total_bucket", "reservations_created_total_sum", "ical_last_sync_age"} {
		require.False(t, known(bogus, names, histograms), "%s is not exported", bogus)
	}
	used := map[string]bool{}
	check := func(where, expr string) {
		t.Helper()
		found := metricNames(expr)
		require.NotEmpty(t, found, "%s: no metric found in %q", where, expr)
		for _, n := range found {
			used[n] = true
			require.True(t, known(n, names, histograms), "%s uses %s, which the server does not export (expr %q)", where, n, expr)
		}
	}

	var rules alertRules
	readYAML(t, "prometheus/alerts.yml", &rules)
	alerts := map[string]bool{}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			require.NotEmpty(t, r.Alert, "group %s: only alerting rules here", g.Name)
			require.NotEmpty(t, r.Labels["severity"], "alert %s has a severity", r.Alert)
			require.NotEmpty(t, r.Annotations["summary"], "alert %s has a summary", r.Alert)
			require.NotEmpty(t, r.Annotations["description"], "alert %s says what to do", r.Alert)
			alerts[r.Alert] = true
			check("alert "+r.Alert, r.Expr)
		}
	}
	// The alerts issue 8 asks for.
	for _, a := range []string{"ICalFeedStale", "HoldsRefusedUnusually", "HoldsExpiringUnusually",
		"WebhookSignatureFailuresRising", "HTTP5xxRateHigh", "JobQueueBacklog", "JobsOverdue", "PostgreSQLDown", "RedisDown"} {
		require.True(t, alerts[a], "alerts.yml has %s", a)
	}

	var d dashboard
	b, err := os.ReadFile("grafana/dashboard.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &d))
	var ds struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/prometheus.yml", &ds)
	require.Len(t, ds.Datasources, 1)
	require.Equal(t, "prometheus", ds.Datasources[0].Type)
	require.Equal(t, "http://prometheus:9090", ds.Datasources[0].URL, "the compose service")
	panels := 0
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		panels++
		require.Equal(t, ds.Datasources[0].UID, p.Datasource.UID, "panel %q uses the provisioned datasource", p.Title)
		require.NotEmpty(t, p.Targets, "panel %q has a query", p.Title)
		for _, tg := range p.Targets {
			check("panel "+p.Title, tg.Expr)
		}
	}
	// The panels issue 8 asks for.
	for _, n := range []string{"http_requests_total", "http_request_duration_seconds_bucket", "reservations_created_total",
		"reservations_confirmed_total", "reservations_expired_total", "reservations_date_overlap_total",
		"webhook_events_total", "ical_last_sync_age_minutes", "river_jobs_backlog", "db_up", "redis_up"} {
		require.True(t, used[n], "a query uses %s", n)
	}
	require.GreaterOrEqual(t, panels, 10)
	var sorted []string
	for n := range used {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	t.Logf("metrics used by alerts and panels: %s", strings.Join(sorted, " "))
}

// TestPrometheusScrapesEveryAppInstance: the scrape targets are the compose
// file's app services, and Caddy balances over the same ones.
func TestPrometheusScrapesEveryAppInstance(t *testing.T) {
	t.Parallel()
	var compose struct {
		Services map[string]struct {
			Build       any            `yaml:"build"`
			Environment map[string]any `yaml:"environment"`
		} `yaml:"services"`
	}
	readYAML(t, "../docker-compose.yml", &compose)
	var apps, metricsTargets []string
	for name, s := range compose.Services {
		if s.Build != nil && s.Environment["SESSION_SECRET"] != nil {
			apps = append(apps, name+":8080")
			// /metrics has a port of its own (METRICS_ADDR), never the public one.
			addr, _ := s.Environment["METRICS_ADDR"].(string)
			m := regexp.MustCompile(`^\$\{METRICS_ADDR:-[^:}]*:(\d+)\}$`).FindStringSubmatch(addr)
			require.NotNil(t, m, "%s sets METRICS_ADDR with a default port, not %q", name, addr)
			require.NotEqual(t, "8080", m[1])
			metricsTargets = append(metricsTargets, name+":"+m[1])
		}
	}
	sort.Strings(apps)
	sort.Strings(metricsTargets)
	require.GreaterOrEqual(t, len(apps), 2)

	var prom struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			MetricsPath   string `yaml:"metrics_path"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, "prometheus/prometheus.yml", &prom)
	require.Equal(t, []string{"alerts.yml"}, prom.RuleFiles)
	var targets []string
	for _, sc := range prom.ScrapeConfigs {
		if sc.JobName == "alojamientos" {
			require.Equal(t, "/metrics", sc.MetricsPath)
			for _, c := range sc.StaticConfigs {
				targets = append(targets, c.Targets...)
			}
		}
	}
	sort.Strings(targets)
	require.Equal(t, metricsTargets, targets, "prometheus.yml scrapes every app service of docker-compose.yml on its METRICS_ADDR")

	caddyfile, err := os.ReadFile("caddy/Caddyfile")
	require.NoError(t, err)
	proxy := regexp.MustCompile(`(?m)^\s*reverse_proxy\s+([^{]+)\{`).FindSubmatch(caddyfile)
	require.NotNil(t, proxy, "Caddyfile has a reverse_proxy")
	upstreams := strings.Fields(string(proxy[1]))
	sort.Strings(upstreams)
	require.Equal(t, apps, upstreams, "Caddy balances over every app service")
	for _, want := range []string{"health_uri /readyz", "Strict-Transport-Security", "header_up X-Forwarded-For {remote_host}",
		"respond /metrics 404", "{$DOMAIN"} {
		require.Contains(t, string(caddyfile), want)
	}
}
