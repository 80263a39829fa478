package deploy_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// checkPod asserts what both set-ups share: probes, limits, a locked-down
// container, the App's Secret, the config file and a writable /tmp.
func checkPod(t *testing.T, d appsv1.Deployment) {
	t.Helper()
	pod := d.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Containers))
	}
	c := pod.Containers[0]
	probes := map[string]string{}
	for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe, "startup": c.StartupProbe} {
		if p != nil && p.HTTPGet != nil {
			probes[name] = p.HTTPGet.Path + " " + p.HTTPGet.Port.String()
		}
	}
	if d := cmp.Diff(map[string]string{"readiness": "/readyz http", "liveness": "/healthz http", "startup": "/healthz http"}, probes); d != "" {
		t.Errorf("probes (-want +got):\n%s", d)
	}
	checkStartup(t, c.StartupProbe)
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports = %+v, want http 8080", c.Ports)
	}
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, lim := c.Resources.Requests[r], c.Resources.Limits[r]
		if req.IsZero() || lim.IsZero() || lim.Cmp(req) < 0 {
			t.Errorf("%s: request %s, limit %s; want both, limit ≥ request", r, req.String(), lim.String())
		}
	}
	if c.Resources.Limits.Memory().Cmp(resource.MustParse("1Gi")) > 0 {
		t.Errorf("memory limit %s is more than cohortbot needs", c.Resources.Limits.Memory())
	}
	checkSecurity(t, pod, c)
	checkScrape(t, d.Spec.Template.Annotations, c)
	wantEnv := map[string]envVar{
		"COHORTBOT_ADDRESS":         {Value: "0.0.0.0:8080"},
		"GITHUB_APP_INTEGRATION_ID": {Secret: "cohortbot-github-app/integration-id"},
		"GITHUB_APP_WEBHOOK_SECRET": {Secret: "cohortbot-github-app/webhook-secret"},
		"GITHUB_APP_PRIVATE_KEY":    {Secret: "cohortbot-github-app/private-key"},
	}
	for name, want := range wantEnv {
		if d := cmp.Diff(want, env(c, name)); d != "" {
			t.Errorf("env %s (-want +got):\n%s", name, d)
		}
	}
	if pu := env(c, "COHORTBOT_PUBLIC_URL"); pu.Value == "" {
		t.Error("COHORTBOT_PUBLIC_URL is not set (the set-up page and docs need it)")
	}
	m := mounts(d)
	if got := m["/etc/cohortbot"]; len(got) < len("configmap:cohortbot-config") || got[:len("configmap:cohortbot-config")] != "configmap:cohortbot-config" {
		t.Errorf("/etc/cohortbot is %q, want the generated ConfigMap cohortbot-config-<hash>", got)
	}
	if m["/tmp"] != "emptyDir" {
		t.Errorf("/tmp is %q, want an emptyDir (the root filesystem is read-only)", m["/tmp"])
	}
	if d := cmp.Diff([]string{"serve", "--config", "/etc/cohortbot/cohortbot.yml"}, c.Args); d != "" {
		t.Errorf("args (-want +got):\n%s", d)
	}
}

// minStartup is how long a new pod may take to answer /healthz: serve
// applies the database migrations before it listens, and a liveness probe
// killing it halfway would restart the migration forever.
const minStartup = 5 * time.Minute

func checkStartup(t *testing.T, p *corev1.Probe) {
	t.Helper()
	if p == nil {
		return // reported with the other probes
	}
	period, failures := p.PeriodSeconds, p.FailureThreshold
	if period == 0 {
		period = 10 // the API's defaults
	}
	if failures == 0 {
		failures = 3
	}
	if got := time.Duration(period*failures) * time.Second; got < minStartup {
		t.Errorf("startupProbe allows %s (periodSeconds %d × failureThreshold %d), want at least %s for the migrations",
			got, period, failures, minStartup)
	}
}

// checkScrape asserts the pod template's prometheus.io annotations point at
// the container's port and the path the service serves its metrics on.
func checkScrape(t *testing.T, annotations map[string]string, c corev1.Container) {
	t.Helper()
	var port string
	for _, p := range c.Ports {
		if p.Name == "http" {
			port = strconv.Itoa(int(p.ContainerPort))
		}
	}
	want := map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": port, "prometheus.io/path": "/metrics"}
	got := map[string]string{}
	for k, v := range annotations {
		if strings.HasPrefix(k, "prometheus.io/") {
			got[k] = v
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("pod template's Prometheus annotations (-want +got):\n%s", d)
	}
}

func checkSecurity(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token (automountServiceAccountToken is not false); cohortbot never calls the Kubernetes API")
	}
	ps, cs := pod.SecurityContext, c.SecurityContext
	if ps == nil || ps.RunAsNonRoot == nil || !*ps.RunAsNonRoot || ps.RunAsUser == nil || *ps.RunAsUser == 0 {
		t.Errorf("pod securityContext %+v: want runAsNonRoot and a non-zero runAsUser", ps)
	}
	if cs == nil || cs.ReadOnlyRootFilesystem == nil || !*cs.ReadOnlyRootFilesystem {
		t.Error("container root filesystem is not read-only")
	}
	if cs == nil || cs.AllowPrivilegeEscalation == nil || *cs.AllowPrivilegeEscalation {
		t.Error("container allows privilege escalation")
	}
	if cs == nil || cs.Capabilities == nil || !cmp.Equal([]corev1.Capability{"ALL"}, cs.Capabilities.Drop) {
		t.Error("container does not drop ALL capabilities")
	}
}

// envVar is an env entry as the tests compare it: a literal or "secret/key".
type envVar struct{ Value, Secret string }

func env(c corev1.Container, name string) envVar {
	for _, e := range c.Env {
		if e.Name != name {
			continue
		}
		v := envVar{Value: e.Value}
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			v.Secret = e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
		}
		return v
	}
	return envVar{}
}

// mounts maps each mount path to its volume's source: "pvc:NAME",
// "configmap:NAME" or "emptyDir".
func mounts(d appsv1.Deployment) map[string]string {
	src := map[string]string{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		switch {
		case v.PersistentVolumeClaim != nil:
			src[v.Name] = "pvc:" + v.PersistentVolumeClaim.ClaimName
		case v.ConfigMap != nil:
			src[v.Name] = "configmap:" + v.ConfigMap.Name
		case v.EmptyDir != nil:
			src[v.Name] = "emptyDir"
		default:
			src[v.Name] = "other"
		}
	}
	out := map[string]string{}
	for _, m := range d.Spec.Template.Spec.Containers[0].VolumeMounts {
		out[m.MountPath] = src[m.Name]
	}
	return out
}
