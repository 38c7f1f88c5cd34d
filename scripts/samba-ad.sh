#!/usr/bin/env bash
# A throw-away Samba AD DC on loopback for the integration tests (SPEC 7), with the msRTCSIP-*
# schema of testdata/ad/ and the Lync pool container.
#
#   scripts/samba-ad.sh up DIR       install Samba if missing, provision into DIR (wiped), start, extend
#                                    the schema, write DIR/env.sh (the LMTEST_* variables); a no-op when
#                                    a DC from DIR is already running
#   scripts/samba-ad.sh down DIR     stop the DC of DIR (exactly the PID in DIR/samba.pid) and wait for it
#   scripts/samba-ad.sh status DIR   exit 0 and print the PID when the DC of DIR runs and answers
#   scripts/samba-ad.sh reap DIR [S] stop the DC of DIR once no process has used it for S seconds (default
#                                    30), unless DIR/keep exists (make ad-up). Its users hold a shared flock
#                                    on DIR.users while they live (internal/testad); the kernel drops it when
#                                    a user ends, killed or timed out included. Started by whoever started the DC.
#
# Samba binds fixed ports (88, 389, 636, 3268…): one DC per machine. Needs root.
# env: STRONG_AUTH=no|allow_sasl_over_tls|yes ('ldap server require strong auth', default no)
#      ADMINPASS (default: random per provision; read it from DIR/env.sh)
#      BACKEND_STORE=tdb|mdb (default tdb; measured: no faster for the seeding the tests do)
set -euo pipefail

REALM=LYNCTEST.LOCAL
DOMAIN=LYNCTEST
REALM_LC=${REALM,,}
BASE_DN="DC=${REALM_LC//./,DC=}"
HOST=dc1.$REALM_LC
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LDIF_DIR=$(cd "$HERE/../testdata/ad" && pwd)
MARKER=.lyncmigrate-samba # only a DIR holding this file is ever wiped

die() { echo "samba-ad.sh: $*" >&2; exit 1; }
now_us() { echo "${EPOCHREALTIME/./}"; }
secs() { printf '%d.%02d' $(( $1 / 1000000 )) $(( $1 % 1000000 / 10000 )); }

# pid_of DIR: the PID from DIR/samba.pid if that process is alive and is a samba with its databases in
# DIR (a stale file whose PID was reused by another process is ignored).
pid_of() {
	local dir=$1 pid
	[[ -r $dir/samba.pid ]] || return 1
	pid=$(<"$dir/samba.pid")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	# samba rewrites its command line ("samba: root process") over its environment too, so look at
	# its open files: its databases under DIR/private stay open. Sockets come and go while ls runs,
	# so ls may fail on one of them: its status means nothing here (and no pipe into grep -q: with
	# pipefail the SIGPIPE would read as "not running").
	[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */samba ]] || return 1
	local fds
	fds=$(ls -l "/proc/$pid/fd/" 2>/dev/null || true)
	[[ $fds == *"-> $dir/private/"* ]] || return 1
	echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# running_dirs: the DIRs of the samba processes running on this machine (from their open databases).
running_dirs() {
	local exe dir
	for exe in /proc/[0-9]*/exe; do
		[[ $(readlink "$exe" 2>/dev/null) == */samba ]] || continue
		dir=$(ls -l "${exe%/exe}/fd/" 2>/dev/null | sed -n 's|.* -> \(.*\)/private/.*|\1|p' | head -1 || true)
		echo "${dir:-unknown (pid ${exe//[^0-9]/})}"
	done | sort -u | paste -sd' '
}

ldap_ready() {
	timeout 20 ldapsearch -o nettimeout=5 -x -H ldap://127.0.0.1:389 -s base -b "" defaultNamingContext >/dev/null 2>&1
}

# wait_ready PID: until the DC answers on 389, for up to 60 s; fails at once if PID exits.
wait_ready() {
	local i
	for ((i = 0; i < 600; i++)); do
		ldap_ready && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# lock: up and down of any DIR one at a time (one DC per machine), also across make, CI and tests.
lock() {
	exec {LOCK_FD}>>/tmp/lyncmigrate-samba-script.lock
	flock -w 300 "$LOCK_FD" || die "another samba-ad.sh has held /tmp/lyncmigrate-samba-script.lock for 5 minutes"
}

install_packages() {
	local need=0 c
	for c in samba samba-tool samba_spnupdate ldapmodify ldapsearch kinit openssl tsql; do
		command -v "$c" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$c" >/dev/null 2>&1 || need=1
	done
	((need)) || return 0
	[[ $(id -u) == 0 ]] || die "Samba is not installed and installing it needs root"
	echo "installing samba, krb5-user, ldap-utils, openssl, freetds-bin from apt" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		samba samba-ad-dc samba-ad-provision samba-dsdb-modules winbind \
		krb5-user ldap-utils openssl freetds-bin >/dev/null
}

# make_cert DIR: a CA and a server certificate signed by it, both with positive serials (Samba's own
# certificate can get a negative one, which Go's crypto/x509 refuses) and the SANs the clients use.
make_cert() {
	local tls=$1/tls
	mkdir -p "$tls"
	(
		umask 077
		openssl req -x509 -newkey rsa:2048 -nodes -days 30 -set_serial "0x1$(openssl rand -hex 7)" \
			-subj "/CN=lyncmigrate test CA" \
			-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
			-keyout "$tls/ca-key.pem" -out "$tls/ca.pem"
		openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout "$tls/key.pem" -out "$tls/req.pem"
		printf '%s\n' "subjectAltName=DNS:$HOST,DNS:localhost,IP:127.0.0.1" \
			"basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
			"extendedKeyUsage=serverAuth" >"$tls/ext.cnf"
		openssl x509 -req -in "$tls/req.pem" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -days 30 \
			-set_serial "0x1$(openssl rand -hex 7)" -extfile "$tls/ext.cnf" -out "$tls/cert.pem"
	) >"$1/log/openssl.log" 2>&1 || die "certificate: see $1/log/openssl.log"
	chmod 644 "$tls/ca.pem" "$tls/cert.pem"
}

# ldif FILE: the project's LDIF with the base DN filled in, on stdout.
ldif() { sed "s/@BASE_DN@/$BASE_DN/g" "$LDIF_DIR/$1"; }

cmd_status() {
	local dir=$1 pid
	if pid=$(pid_of "$dir") && ldap_ready; then
		echo "running pid $pid ($dir)"
		return 0
	fi
	echo "not running ($dir)"
	return 1
}

cmd_down() {
	local dir=$1 pid i
	if ! pid=$(pid_of "$dir"); then
		echo "not running ($dir)"
		# forget the PID only when that process is gone, never on a failed check
		if [[ -r $dir/samba.pid ]] && ! kill -0 "$(<"$dir/samba.pid")" 2>/dev/null; then rm -f "$dir/samba.pid"; fi
		return 0
	fi
	kill -TERM "$pid"
	for ((i = 0; i < 300; i++)); do # samba takes about 3 s to exit
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "pid $pid still there after 30 s: SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -f "$dir/samba.pid"
	echo "stopped pid $pid ($dir)"
}

cmd_up() {
	local dir=$1 pass pid t0 t1 t2 t3 t4 t5 i
	if pid=$(pid_of "$dir"); then
		# a busy DC can be slow to answer: wait, never re-provision a running one
		wait_ready "$pid" || die "pid $pid of $dir runs but does not answer on 389: 'samba-ad.sh down $dir' first"
		[[ -s $dir/env.sh ]] || die "pid $pid of $dir runs but $dir/env.sh is missing: 'samba-ad.sh down $dir' first"
		echo "already running pid $pid ($dir)"
		return 0
	fi
	t0=$(now_us)
	install_packages
	PATH=$PATH:/usr/sbin
	[[ $(id -u) == 0 ]] || die "a Samba DC must run as root"
	if [[ -e $dir && ! -e $dir/$MARKER && -n $(ls -A "$dir") ]]; then
		die "$dir exists and was not made by this script: not wiping it"
	fi
	for i in 389 636 88; do
		port_open "$i" && die "127.0.0.1:$i is already in use; one DC per machine; samba running from: $(running_dirs) (stop it with 'samba-ad.sh down DIR')"
	done
	rm -rf "$dir"
	mkdir -p "$dir/run" "$dir/log"
	touch "$dir/$MARKER"
	chmod 700 "$dir"
	t1=$(now_us)

	pass=${ADMINPASS:-Lm-$(openssl rand -hex 12)-T1!}
	TDB_NO_FSYNC=1 samba-tool domain provision --targetdir="$dir" --realm="$REALM" --domain="$DOMAIN" \
		--server-role=dc --dns-backend=NONE --adminpass="$pass" --use-rfc2307 \
		--backend-store="${BACKEND_STORE:-tdb}" \
		--host-name=dc1 --host-ip=127.0.0.1 \
		--option="interfaces=lo" --option="bind interfaces only=yes" \
		--option="server services=ldap cldap kdc rpc" \
		--option="pid directory=$dir/run" --option="log file=$dir/log/log.%m" \
		--option="dsdb:schema update allowed=true" >"$dir/log/provision.log" 2>&1 ||
		die "provision failed: see $dir/log/provision.log"
	make_cert "$dir"
	# provision drops 'ldap server require strong auth', so it is added here, with our own certificate.
	sed -i "s|^\[global\]$|[global]\n\tldap server require strong auth = ${STRONG_AUTH:-no}\n\tldb:nosync = true\n\ttls enabled = yes\n\ttls keyfile = $dir/tls/key.pem\n\ttls certfile = $dir/tls/cert.pem\n\ttls cafile = $dir/tls/ca.pem|" \
		"$dir/etc/smb.conf"
	grep -q "ldap server require strong auth" "$dir/etc/smb.conf" || die "could not edit $dir/etc/smb.conf"
	printf '%s\n' "[libdefaults]" "	default_realm = $REALM" "	dns_lookup_realm = false" \
		"	dns_lookup_kdc = false" "	rdns = false" "[realms]" "	$REALM = {" "		kdc = 127.0.0.1" "	}" \
		"[domain_realm]" "	.$REALM_LC = $REALM" "	$REALM_LC = $REALM" >"$dir/krb5.conf"
	# no trailing newline: ldapmodify -y and kinit read the whole file as the password
	(umask 077 && printf '%s' "$pass" >"$dir/admin.pass")
	t2=$(now_us)

	# -F: not a daemon; setsid keeps it out of the caller's process group (a test binary's or make's)
	TDB_NO_FSYNC=1 setsid samba -s "$dir/etc/smb.conf" -F --no-process-group -M single --debug-stdout \
		</dev/null >"$dir/log/samba.out" 2>&1 {LOCK_FD}>&- &
	echo $! >"$dir/samba.pid"
	# from here a failed up stops what it started
	# (a global: the function's locals are gone when the trap runs after an exit)
	UP_DIR=$dir
	trap '[[ ${UP_DONE:-} ]] || { echo "samba-ad.sh: up failed, stopping the DC" >&2; cmd_down "$UP_DIR" >&2; }' EXIT
	if ! wait_ready "$(<"$dir/samba.pid")"; then
		tail -20 "$dir/log/samba.out" >&2
		die "samba exited or is not answering on 389 after 60 s: see $dir/log/samba.out"
	fi
	t3=$(now_us)

	# over LDAPS (verified against our CA) so this works whatever STRONG_AUTH says
	local lm=(ldapmodify -x -H ldaps://127.0.0.1:636 -D "Administrator@$REALM_LC" -y "$dir/admin.pass")
	export LDAPTLS_CACERT=$dir/tls/ca.pem LDAPTLS_REQCERT=demand
	for i in 1 2 3; do # 636 can lag 389 by a moment
		ldapsearch -x -H ldaps://127.0.0.1:636 -s base -b "" >/dev/null 2>&1 && break
		sleep 0.5
	done
	ldif msrtcsip-schema.ldif | "${lm[@]}" >"$dir/log/schema.log" 2>&1 || die "schema: see $dir/log/schema.log"
	ldif rtc-pool-containers.ldif | "${lm[@]}" >>"$dir/log/schema.log" 2>&1 || die "pool containers: see $dir/log/schema.log"
	t4=$(now_us)

	# the SPNs (ldap/dc1.lynctest.local…) the disabled dnsupdate service would add; Kerberos needs them
	samba_spnupdate -s "$dir/etc/smb.conf" >"$dir/log/spnupdate.log" 2>&1 || die "samba_spnupdate: see $dir/log/spnupdate.log"
	samba-tool domain exportkeytab "$dir/admin.keytab" --principal="Administrator@$REALM" \
		-s "$dir/etc/smb.conf" >"$dir/log/keytab.log" 2>&1 || die "keytab: see $dir/log/keytab.log"
	chmod 600 "$dir/admin.keytab"
	t5=$(now_us)
	UP_DONE=1

	(
		umask 077
		{
			echo "# written by scripts/samba-ad.sh up $dir; source it to reach this DC"
			printf 'export LMTEST_AD_DIR=%q\n' "$dir"
			echo "export LMTEST_LDAP_URL=ldaps://127.0.0.1:636"
			echo "export LMTEST_LDAP_PLAIN_URL=ldap://127.0.0.1:389"
			printf 'export LMTEST_LDAP_HOST=%q\n' "$HOST"
			printf 'export LMTEST_LDAP_BIND=%q\n' "Administrator@$REALM_LC"
			printf 'export LMTEST_LDAP_PASSWORD=%q\n' "$pass"
			printf 'export LMTEST_LDAP_BASE=%q\n' "$BASE_DN"
			printf 'export LMTEST_LDAP_CA_FILE=%q\n' "$dir/tls/ca.pem"
			printf 'export LMTEST_KRB5_CONFIG=%q\n' "$dir/krb5.conf"
			printf 'export LMTEST_KRB5_REALM=%q\n' "$REALM"
			printf 'export LMTEST_KRB5_KEYTAB=%q\n' "$dir/admin.keytab"
		} >"$dir/env.sh.tmp"
		mv "$dir/env.sh.tmp" "$dir/env.sh"
	)
	printf 'samba-ad: install %ss provision %ss start %ss schema %ss spn+keytab %ss total %ss pid %s dir %s\n' \
		"$(secs $((t1 - t0)))" "$(secs $((t2 - t1)))" "$(secs $((t3 - t2)))" "$(secs $((t4 - t3)))" \
		"$(secs $((t5 - t4)))" "$(secs $((t5 - t0)))" "$(<"$dir/samba.pid")" "$dir"
}

cmd_reap() {
	local dir=$1 linger=${2:-30} users=$1.users pid size
	[[ $linger =~ ^[0-9]+$ ]] || die "reap: seconds must be a number, not $linger"
	pid=$(pid_of "$dir") || { echo "reap: no DC runs from $dir"; return 0; }
	exec {USERS_FD}>>"$users"
	while :; do
		flock -x "$USERS_FD" # every user has ended
		size=$(stat -c %s "$users")
		flock -u "$USERS_FD"
		sleep "$linger"
		flock -x "$USERS_FD"
		[[ $(stat -c %s "$users") == "$size" ]] && break # and none came meanwhile (each appends a line)
		flock -u "$USERS_FD"
	done
	# holding the lock: a newcomer waits until the DC is down, then starts another
	if [[ -e $dir/keep ]]; then
		echo "$(date -u +%FT%TZ) reap: $dir/keep exists (make ad-up): left running"
	elif [[ $(pid_of "$dir" || true) != "$pid" ]]; then
		echo "$(date -u +%FT%TZ) reap: the DC of $dir is no longer pid $pid: not mine to stop"
	else
		echo "$(date -u +%FT%TZ) reap: no user for ${linger}s: stopping pid $pid"
		lock && cmd_down "$dir"
	fi
	: >"$users"
}

main() {
	local cmd=${1:-} dir=${2:-}
	[[ -n $cmd && -n $dir ]] || die "usage: samba-ad.sh up|down|status|reap DIR"
	mkdir -p "$(dirname "$dir")"
	dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir") # absolute: it is written into smb.conf
	case $cmd in
	up) lock && cmd_up "$dir" ;;
	down) lock && cmd_down "$dir" ;;
	status) cmd_status "$dir" ;;
	reap) cmd_reap "$dir" "${3:-30}" ;;
	*) die "usage: samba-ad.sh up|down|status|reap DIR" ;;
	esac
}

main "$@"
