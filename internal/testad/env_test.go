package testad

import (
	"strings"
	"testing"
)

func TestADFromEnv(t *testing.T) {
	full := map[string]string{
		EnvURL: "ldaps://127.0.0.1:636", EnvPlainURL: "ldap://127.0.0.1:389", EnvHost: "dc1.lynctest.local",
		EnvBind: "Administrator@lynctest.local", EnvPassword: "pw", EnvBase: "DC=lynctest,DC=local",
		EnvCAFile: "/x/ca.pem", EnvKrb5Conf: "/x/krb5.conf", EnvRealm: "LYNCTEST.LOCAL",
		EnvKeytab: "/x/admin.keytab", EnvDir: "/x",
	}
	tests := []struct {
		name    string
		drop    []string
		wantErr string
	}{
		{name: "all set"},
		{name: "kerberos ones are optional", drop: []string{EnvKrb5Conf, EnvRealm, EnvKeytab, EnvDir}},
		{name: "password missing", drop: []string{EnvPassword}, wantErr: EnvPassword},
		{name: "two missing", drop: []string{EnvBase, EnvCAFile}, wantErr: EnvBase + ", " + EnvCAFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{}
			for k, v := range full {
				vars[k] = v
			}
			for _, k := range tt.drop {
				delete(vars, k)
			}
			e, err := FromEnv(func(k string) string { return vars[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to name %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.StartTLSURL != "ldap://127.0.0.1:389" || e.BindDN != "Administrator@lynctest.local" || e.Krb5Config != vars[EnvKrb5Conf] {
				t.Errorf("env = %+v", e)
			}
			if e.User() != "Administrator" || e.SPN() != "ldap/dc1.lynctest.local" || e.Domain() != "lynctest.local" {
				t.Errorf("User %q SPN %q domain %q", e.User(), e.SPN(), e.Domain())
			}
			if want := "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration,DC=lynctest,DC=local"; e.PoolDN() != want {
				t.Errorf("PoolDN = %q", e.PoolDN())
			}
		})
	}
}
