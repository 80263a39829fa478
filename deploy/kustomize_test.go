// Package deploy_test checks the container and Kubernetes manifests. It is a
// module of its own so that kustomize and the Kubernetes API types never
// become dependencies of the cohortbot binary.
package deploy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// rendered is one kustomization's output, decoded into the API types.
type rendered struct {
	Deployments     []appsv1.Deployment
	Services        []corev1.Service
	ConfigMaps      []corev1.ConfigMap
	PVCs            []corev1.PersistentVolumeClaim
	PDBs            []policyv1.PodDisruptionBudget
	NetworkPolicies []networkingv1.NetworkPolicy
	Ingresses       []networkingv1.Ingress
	ServiceMonitors []serviceMonitor
}

// serviceMonitor is the part of the Prometheus Operator's CRD that the
// manifests use. Strict decoding into it catches a misspelt or misplaced key
// without depending on the operator's Go module; a field the manifests start
// to use must be added here.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path"`
			Interval string `json:"interval"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// slot appends a zero object of kind to its list and returns where to decode
// it, or nil for a kind the tests do not know.
func (r *rendered) slot(kind string) any {
	switch kind {
	case "Deployment":
		return appendNew(&r.Deployments)
	case "Service":
		return appendNew(&r.Services)
	case "ConfigMap":
		return appendNew(&r.ConfigMaps)
	case "PersistentVolumeClaim":
		return appendNew(&r.PVCs)
	case "PodDisruptionBudget":
		return appendNew(&r.PDBs)
	case "NetworkPolicy":
		return appendNew(&r.NetworkPolicies)
	case "Ingress":
		return appendNew(&r.Ingresses)
	case "ServiceMonitor":
		return appendNew(&r.ServiceMonitors)
	}
	return nil
}

func appendNew[T any](list *[]T) *T {
	*list = append(*list, *new(T))
	return &(*list)[len(*list)-1]
}

// render runs kustomize on dir and decodes every object strictly: a field the
// Kubernetes API does not know (a typo, a misplaced key) fails the test, as
// `kubectl apply --validate=strict` would, and so does a kind the tests do
// not know (it would go unchecked).
func render(t *testing.T, dir string) rendered {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var out rendered
	for _, res := range resMap.Resources() {
		y, err := res.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		dst := out.slot(res.GetKind())
		if dst == nil {
			t.Fatalf("%s renders an unexpected %s %s", dir, res.GetKind(), res.GetName())
		}
		if err := yaml.UnmarshalStrict(y, dst); err != nil {
			t.Fatalf("%s: %s %s does not decode strictly: %v\n%s", dir, res.GetKind(), res.GetName(), err, y)
		}
	}
	if len(out.Deployments) != 1 || len(out.Services) != 1 || len(out.ConfigMaps) != 1 {
		t.Fatalf("%s: want one Deployment, Service and ConfigMap, got %d, %d, %d", dir,
			len(out.Deployments), len(out.Services), len(out.ConfigMaps))
	}
	return out
}

// TestConfigCopyIsCurrent keeps the ConfigMap's source, which kustomize
// needs inside the base, identical to the documented example.
func TestConfigCopyIsCurrent(t *testing.T) {
	want, err := os.ReadFile("../config/cohortbot.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("kubernetes/base/cohortbot.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("deploy/kubernetes/base/cohortbot.example.yml differs from config/cohortbot.example.yml; "+
			"run: cp config/cohortbot.example.yml deploy/kubernetes/base/\n%s", cmp.Diff(string(want), string(got)))
	}
}

func TestSQLiteBase(t *testing.T) {
	r := render(t, filepath.Join("kubernetes", "base"))
	d := r.Deployments[0]
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
		t.Errorf("replicas = %v, want 1 (SQLite has one writer)", d.Spec.Replicas)
	}
	if d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		t.Errorf("strategy = %q, want Recreate", d.Spec.Strategy.Type)
	}
	checkPod(t, d)
	c := d.Spec.Template.Spec.Containers[0]
	if d := cmp.Diff(envVar{Value: "sqlite:///data/cohortbot.db"}, env(c, "COHORTBOT_DATABASE_URL")); d != "" {
		t.Errorf("COHORTBOT_DATABASE_URL (-want +got):\n%s", d)
	}
	if len(r.PVCs) != 1 || r.PVCs[0].Name != "cohortbot-data" {
		t.Fatalf("PVCs = %v, want cohortbot-data", r.PVCs)
	}
	if got := mounts(d)["/data"]; got != "pvc:cohortbot-data" {
		t.Errorf("/data is %q, want the PVC cohortbot-data", got)
	}
	if len(r.PDBs) != 0 {
		t.Errorf("a one-replica base must not carry a PodDisruptionBudget (it would block node drains)")
	}
}

func TestPostgresOverlay(t *testing.T) {
	r := render(t, filepath.Join("kubernetes", "overlays", "postgres"))
	d := r.Deployments[0]
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas = %v, want 2", d.Spec.Replicas)
	}
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType {
		t.Errorf("strategy = %q, want RollingUpdate", d.Spec.Strategy.Type)
	}
	checkPod(t, d)
	c := d.Spec.Template.Spec.Containers[0]
	want := envVar{Secret: "cohortbot-database/url"}
	if d := cmp.Diff(want, env(c, "COHORTBOT_DATABASE_URL")); d != "" {
		t.Errorf("COHORTBOT_DATABASE_URL (-want +got):\n%s", d)
	}
	if len(r.PVCs) != 0 {
		t.Errorf("PVCs = %v, want none", r.PVCs)
	}
	if _, ok := mounts(d)["/data"]; ok {
		t.Error("/data is still mounted")
	}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			t.Errorf("volume %s still claims %s", v.Name, v.PersistentVolumeClaim.ClaimName)
		}
	}
	if len(r.PDBs) != 1 || r.PDBs[0].Spec.MinAvailable == nil || r.PDBs[0].Spec.MinAvailable.IntValue() != 1 {
		t.Fatalf("want one PodDisruptionBudget with minAvailable 1, got %+v", r.PDBs)
	}
	if d := cmp.Diff(d.Spec.Selector.MatchLabels, r.PDBs[0].Spec.Selector.MatchLabels); d != "" {
		t.Errorf("PDB selector differs from the Deployment's (-deployment +pdb):\n%s", d)
	}
}
