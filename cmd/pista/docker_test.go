package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDockerImage builds the Dockerfile when a container engine answers,
// and says plainly that it skipped when none does (CI machines often have
// no daemon).
func TestDockerImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a container image")
	}
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("no docker command on this machine: the image is not built")
	}
	if out, err := exec.Command(docker, "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("no container engine answers (%s): the image is not built", strings.TrimSpace(string(out)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, docker, "build", "-t", "pista:test", "../..").CombinedOutput()
	if err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	out, err = exec.CommandContext(ctx, docker, "run", "--rm", "pista:test", "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "pista ") {
		t.Fatalf("the image does not run pista: %v %s", err, out)
	}
	inspect, err := exec.CommandContext(ctx, docker, "image", "inspect", "--format", "{{.Config.User}} {{json .Config.Healthcheck}}", "pista:test").Output()
	if err != nil || strings.HasPrefix(string(inspect), "root") || strings.HasPrefix(string(inspect), " ") || !strings.Contains(string(inspect), "readyz") {
		t.Errorf("the image should run as a non-root user with a /readyz health check: %s %v", inspect, err)
	}
}
