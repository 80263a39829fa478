package deploy_test

import (
	"net/url"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestExampleOverlay checks the overlay an operator copies is consistent:
// the image it names runs, the public URL is the Ingress's host, and the
// Ingress sends the webhook path to the Service's port, over TLS.
func TestExampleOverlay(t *testing.T) {
	r := render(t, filepath.Join("kubernetes", "overlays", "example"))
	d, svc := r.Deployments[0], r.Services[0]
	checkPod(t, d)
	c := d.Spec.Template.Spec.Containers[0]
	if c.Image != "ghcr.io/cohortbot/cohortbot:v1.0.0" {
		t.Errorf("image %q, want the overlay's images: entry (ghcr.io/cohortbot/cohortbot:v1.0.0)", c.Image)
	}
	if len(r.Ingresses) != 1 {
		t.Fatalf("want one Ingress, got %d", len(r.Ingresses))
	}
	ing := r.Ingresses[0]
	if ing.Namespace != d.Namespace || ing.Namespace == "" {
		t.Errorf("Ingress in namespace %q, Deployment in %q: want both in the overlay's namespace", ing.Namespace, d.Namespace)
	}
	if len(ing.Spec.Rules) != 1 || ing.Spec.Rules[0].HTTP == nil {
		t.Fatalf("want one HTTP rule, got %+v", ing.Spec.Rules)
	}
	host := ing.Spec.Rules[0].Host
	pu, err := url.Parse(env(c, "COHORTBOT_PUBLIC_URL").Value)
	if err != nil || pu.Scheme != "https" || pu.Host != host || (pu.Path != "" && pu.Path != "/") {
		t.Errorf("COHORTBOT_PUBLIC_URL %q, want https://%s (the Ingress's host)", pu, host)
	}
	if len(ing.Spec.TLS) != 1 || !cmp.Equal([]string{host}, ing.Spec.TLS[0].Hosts) || ing.Spec.TLS[0].SecretName == "" {
		t.Errorf("tls %+v, want a certificate Secret for %s", ing.Spec.TLS, host)
	}
	var routes []string
	for _, p := range ing.Spec.Rules[0].HTTP.Paths {
		routes = append(routes, string(*p.PathType)+" "+p.Path)
		checkBackend(t, p.Backend, svc)
	}
	if d := cmp.Diff([]string{"Exact /api/github/hook"}, routes); d != "" {
		t.Errorf("Ingress paths (-want +got; only the webhook is public, not /metrics or the set-up page):\n%s", d)
	}
}

// checkBackend asserts b is the Service and one of its ports, by name or
// number, as the Ingress controller resolves it.
func checkBackend(t *testing.T, b networkingv1.IngressBackend, svc corev1.Service) {
	t.Helper()
	if b.Service == nil || b.Service.Name != svc.Name {
		t.Errorf("backend %+v, want the Service %s", b, svc.Name)
		return
	}
	want := b.Service.Port
	for _, p := range svc.Spec.Ports {
		if (want.Name != "" && want.Name == p.Name) || (want.Name == "" && want.Number == p.Port) {
			if p.TargetPort != intstr.FromString("http") {
				t.Errorf("Service port %s targets %s, want the container's http port", p.Name, p.TargetPort.String())
			}
			return
		}
	}
	t.Errorf("backend port %+v is none of the Service's ports %+v", want, svc.Spec.Ports)
}
