package deploy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// TestNetworkPolicy checks each set-up's policy selects cohortbot's pods,
// admits the HTTP port and lets out only DNS, GitHub's API and, with
// PostgreSQL, the database.
func TestNetworkPolicy(t *testing.T) {
	dns := []string{"TCP/443", "TCP/53", "UDP/53"} // sorted, as egressPorts returns them
	tests := []struct {
		name       string
		dir        string
		wantEgress []string
	}{
		{name: "SQLite base", dir: filepath.Join("kubernetes", "base"), wantEgress: dns},
		{name: "PostgreSQL overlay", dir: filepath.Join("kubernetes", "overlays", "postgres"), wantEgress: []string{"TCP/443", "TCP/53", "TCP/5432", "UDP/53"}},
		{name: "example overlay", dir: filepath.Join("kubernetes", "overlays", "example"), wantEgress: dns},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := render(t, tc.dir)
			if len(r.NetworkPolicies) != 1 {
				t.Fatalf("want one NetworkPolicy, got %d", len(r.NetworkPolicies))
			}
			np, d := r.NetworkPolicies[0], r.Deployments[0]
			if !selects(t, &np.Spec.PodSelector, d.Spec.Template.Labels) {
				t.Errorf("podSelector %v does not select the pods (labels %v)", np.Spec.PodSelector, d.Spec.Template.Labels)
			}
			if d := cmp.Diff([]networkingv1.PolicyType{"Ingress", "Egress"}, np.Spec.PolicyTypes); d != "" {
				t.Errorf("policyTypes (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{fmt.Sprintf("TCP/%d", httpPort(t, d))}, ingressPorts(np)); d != "" {
				t.Errorf("ingress ports (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantEgress, egressPorts(np)); d != "" {
				t.Errorf("egress ports (-want +got):\n%s", d)
			}
		})
	}
}

// ingressPorts lists "PROTO/PORT" of the rules open to any source; a rule
// limited by `from` would shut out GitHub's deliveries through the ingress
// controller unless the operator narrowed it on purpose.
func ingressPorts(np networkingv1.NetworkPolicy) []string {
	var out []string
	for _, rule := range np.Spec.Ingress {
		if len(rule.From) == 0 {
			out = append(out, portList(rule.Ports)...)
		}
	}
	slices.Sort(out)
	return out
}

func egressPorts(np networkingv1.NetworkPolicy) []string {
	var out []string
	for _, rule := range np.Spec.Egress {
		if len(rule.Ports) == 0 {
			out = append(out, "any port")
		}
		out = append(out, portList(rule.Ports)...)
	}
	slices.Sort(out)
	return out
}

func portList(ports []networkingv1.NetworkPolicyPort) []string {
	var out []string
	for _, p := range ports {
		proto := corev1.ProtocolTCP // the API's default
		if p.Protocol != nil {
			proto = *p.Protocol
		}
		port := "any"
		if p.Port != nil {
			port = p.Port.String()
		}
		out = append(out, string(proto)+"/"+port)
	}
	return out
}

// selects says whether sel matches a pod labelled with set.
func selects(t *testing.T, sel *metav1.LabelSelector, set map[string]string) bool {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		t.Fatalf("selector %v: %v", sel, err)
	}
	return !s.Empty() && s.Matches(labels.Set(set))
}

func httpPort(t *testing.T, d appsv1.Deployment) int32 {
	t.Helper()
	for _, p := range d.Spec.Template.Spec.Containers[0].Ports {
		if p.Name == "http" {
			return p.ContainerPort
		}
	}
	t.Fatal("the container has no port named http")
	return 0
}

// TestServiceMonitorComponent adds the Prometheus Operator component to the
// base, as an operator would in a copy of the example overlay, and checks the
// ServiceMonitor finds the Service and its metrics port.
func TestServiceMonitorComponent(t *testing.T) {
	dir := t.TempDir()
	rel := func(path string) string { // kustomize refuses absolute paths
		abs, err := filepath.Abs(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := filepath.Rel(dir, abs)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	k := fmt.Sprintf("resources:\n  - %s\ncomponents:\n  - %s\n",
		rel(filepath.Join("kubernetes", "base")), rel(filepath.Join("kubernetes", "components", "prometheus-operator")))
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k), 0o600); err != nil {
		t.Fatal(err)
	}
	r := render(t, dir)
	if len(r.ServiceMonitors) != 1 {
		t.Fatalf("want one ServiceMonitor, got %d", len(r.ServiceMonitors))
	}
	sm, svc := r.ServiceMonitors[0], r.Services[0]
	if sm.APIVersion != "monitoring.coreos.com/v1" {
		t.Errorf("apiVersion %q, want monitoring.coreos.com/v1", sm.APIVersion)
	}
	if !selects(t, &sm.Spec.Selector, svc.Labels) {
		t.Errorf("selector %v does not select the Service (labels %v)", sm.Spec.Selector, svc.Labels)
	}
	var got []string
	for _, e := range sm.Spec.Endpoints {
		got = append(got, e.Port+" "+e.Path)
	}
	if d := cmp.Diff([]string{svc.Spec.Ports[0].Name + " /metrics"}, got); d != "" {
		t.Errorf("endpoints (-want +got):\n%s", d)
	}
}
