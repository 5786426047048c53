package main

import (
	"net/netip"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

type composeService struct {
	Image       string         `yaml:"image"`
	Build       any            `yaml:"build"`
	Profiles    []string       `yaml:"profiles"`
	Environment map[string]any `yaml:"environment"`
	Entrypoint  []string       `yaml:"entrypoint"`
	Command     []string       `yaml:"command"`
	Ports       []string       `yaml:"ports"`
	Volumes     []string       `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Networks map[string]struct {
		IPv4Address string `yaml:"ipv4_address"`
	} `yaml:"networks"`
}

type composeProduction struct {
	Services map[string]composeService `yaml:"services"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
	Volumes map[string]any `yaml:"volumes"`
}

// enabled lists the services `docker compose [--profile P] up` starts:
// those without profiles, plus those of profile P.
func (c composeProduction) enabled(profile string) map[string]composeService {
	out := map[string]composeService{}
	for name, s := range c.Services {
		if len(s.Profiles) == 0 || (profile != "" && slices.Contains(s.Profiles, profile)) {
			out[name] = s
		}
	}
	return out
}

func appServices(services map[string]composeService) []string {
	var apps []string
	for name, s := range services {
		if s.Build != nil {
			apps = append(apps, name)
		}
	}
	sort.Strings(apps)
	return apps
}

// defaultValue is the fallback of "${NAME:-default}" (or the plain value).
func defaultValue(v any) string {
	s, _ := v.(string)
	if m := regexp.MustCompile(`^\$\{[A-Z_]+:-(.*)\}$`).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return s
}

func hasVolume(s composeService, prefix string) bool {
	return slices.ContainsFunc(s.Volumes, func(v string) bool { return strings.HasPrefix(v, prefix) })
}

// TestComposeProductionProfile: `docker compose --profile production up`
// runs two app instances behind Caddy, with the backup job, Prometheus and
// Grafana, every file they mount exists, and the plain `docker compose up`
// still runs the one app instance it always did.
func TestComposeProductionProfile(t *testing.T) {
	t.Parallel()
	var c composeProduction
	require.NoError(t, yaml.Unmarshal([]byte(readRepoFile(t, "docker-compose.yml")), &c))

	def := c.enabled("")
	require.Equal(t, []string{"app"}, appServices(def), "the default profile runs one app instance")
	for _, name := range []string{"postgres", "redis"} {
		require.Contains(t, def, name)
	}
	for name := range def {
		require.Contains(t, []string{"app", "postgres", "redis"}, name, "default `docker compose up` starts only what it did")
	}

	prod := c.enabled("production")
	apps := appServices(prod)
	require.GreaterOrEqual(t, len(apps), 2, "production runs two app instances or more")
	for _, name := range []string{"caddy", "postgres", "redis", "backup", "prometheus", "grafana"} {
		require.Contains(t, prod, name, "production profile has %s", name)
	}

	vars := configVariables(t)
	first := prod[apps[0]]
	for _, name := range apps {
		app := prod[name]
		for _, v := range vars {
			require.Contains(t, app.Environment, v,
				"internal/platform/config.go reads %s: add it to x-app.environment in docker-compose.yml (service %s)", v, name)
		}
		require.Equal(t, first.Environment, app.Environment, "%s shares the instances' environment", name)
		require.Equal(t, "production", app.Environment["ENV"])
		require.Contains(t, app.Volumes, "app-data:/data", "%s mounts the shared photos volume", name)
		for _, dep := range []string{"postgres", "redis"} {
			require.Equal(t, "service_healthy", app.DependsOn[dep].Condition, "%s depends_on %s", name, dep)
		}
		require.Contains(t, prod["caddy"].DependsOn, name, "caddy waits for %s", name)
		for _, p := range app.Ports {
			require.True(t, strings.HasPrefix(defaultValue(p), "127.0.0.1:") || strings.HasPrefix(p, "${APP_PUBLISH:-127.0.0.1:"),
				"%s publishes %q: only Caddy faces the internet", name, p)
		}
	}
	require.Contains(t, first.Environment["REDIS_URL"], "redis://redis:", "instances share Redis")
	require.Contains(t, first.Environment["DATABASE_URL"], "@postgres:5432/", "instances share PostgreSQL")

	// Caddy is the only trusted proxy, at its fixed address in the network.
	caddy := prod["caddy"]
	require.True(t, strings.HasPrefix(caddy.Image, "caddy:2"), caddy.Image)
	require.Contains(t, caddy.Ports, "443:443")
	require.Contains(t, caddy.Ports, "80:80", "ACME HTTP challenge and the redirect to HTTPS")
	require.Contains(t, caddy.Volumes, "./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro")
	require.True(t, hasVolume(caddy, "caddy-data:/data"), "certificates survive restarts")
	require.Contains(t, caddy.Environment, "DOMAIN")
	caddyIP, err := netip.ParseAddr(caddy.Networks["default"].IPv4Address)
	require.NoError(t, err, "caddy has a fixed address")
	subnet, err := netip.ParsePrefix(c.Networks["default"].IPAM.Config[0].Subnet)
	require.NoError(t, err)
	require.True(t, subnet.Contains(caddyIP))
	trusted, err := netip.ParsePrefix(defaultValue(first.Environment["TRUSTED_PROXIES"]))
	require.NoError(t, err, "TRUSTED_PROXIES default")
	require.Equal(t, netip.PrefixFrom(caddyIP, 32), trusted, "TRUSTED_PROXIES is Caddy's address")

	// Backups: pg_dump from the server's own image, into a volume.
	pgImage := c.Services["postgres"].Image
	backup := prod["backup"]
	require.Equal(t, pgImage, backup.Image, "pg_dump's major version is the server's")
	require.Contains(t, backup.Volumes, "./scripts/backup.sh:/usr/local/bin/backup.sh:ro")
	require.True(t, hasVolume(backup, "backups:"), "dumps go to the backups volume")
	require.Equal(t, []string{"bash", "/usr/local/bin/backup.sh", "--loop"}, backup.Entrypoint)
	require.Equal(t, "service_healthy", backup.DependsOn["postgres"].Condition)
	for _, v := range []string{"DATABASE_URL", "BACKUP_DIR", "KEEP_DAYS", "BACKUP_INTERVAL"} {
		require.Contains(t, backup.Environment, v)
		require.Contains(t, readRepoFile(t, "scripts/backup.sh"), v, "backup.sh reads %s", v)
	}
	require.True(t, hasVolume(c.Services["postgres"], "pg-data:"), "PostgreSQL keeps its data in a named volume")

	// Monitoring mounts the files deploy/deploy_test.go checks.
	require.Contains(t, prod["prometheus"].Volumes, "./deploy/prometheus:/etc/prometheus:ro")
	require.Contains(t, prod["prometheus"].Command, "--config.file=/etc/prometheus/prometheus.yml")
	require.Contains(t, prod["grafana"].Volumes, "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro")
	require.Contains(t, prod["grafana"].Volumes, "./deploy/grafana/dashboard.json:/etc/grafana/dashboards/alojamientos.json:ro")
	require.Contains(t, readRepoFile(t, "deploy/grafana/provisioning/dashboards/alojamientos.yml"), "path: /etc/grafana/dashboards")

	// Every host path mounted exists, and every named volume is declared.
	for name, s := range c.Services {
		for _, v := range s.Volumes {
			src := strings.SplitN(v, ":", 2)[0]
			if strings.HasPrefix(src, "./") {
				_, err := os.Stat("../../" + src)
				require.NoError(t, err, "service %s mounts %s", name, src)
			} else {
				require.Contains(t, c.Volumes, src, "service %s: named volume %s is declared", name, src)
			}
		}
	}
}
