#!/usr/bin/env python3
"""Wharf beside Apache FtpServer 1.2.1, vsftpd and pure-ftpd: explicit FTPS, passive mode, loopback only.

Started by bench/run (which builds what is needed first); see bench/README.md. Every server is started in turn
on 127.0.0.1:2121 with passive ports 40000-40999, the same RSA 2048 certificate, the same user home, then the
workloads run against it and it is stopped. Results: one table on stdout, also written to the work directory.
"""
import argparse
import datetime
import ftplib
import json
import os
import platform
import pwd
import re
import resource
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
HOST = "127.0.0.1"
PORT = 2121
PASV_LO, PASV_HI = 40000, 40999
USER, PASSWORD = "ftpbench", "Bench-pass-2121"
CLK = os.sysconf("SC_CLK_TCK")
MB = 1e6


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------- /proc measurements
def _stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    rest = s[s.rindex(")") + 2:].split()
    return rest  # rest[0] = state (field 3); ppid = rest[1]; utime = rest[11] ...


def proc_tree(root):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                children.setdefault(int(_stat(d)[1]), []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


class CpuCgroup:
    """A cgroup holding one server and every process it forks, so that its CPU counts processes that have exited
    too: vsftpd's session processes are reaped without their CPU reaching the listener's cutime, which the /proc
    tree sum below then misses. Uses cgroup v2 (cpu.stat) where writable, else v1 cpuacct; None when neither is
    (the /proc tree sum is then the measure)."""
    ROOTS = [("/sys/fs/cgroup", "cpu.stat"), ("/sys/fs/cgroup/unified", "cpu.stat"),
             ("/sys/fs/cgroup/cpuacct", "cpuacct.usage")]

    def __init__(self, path, counter):
        self.path, self.counter = path, counter

    @classmethod
    def create(cls, name):
        for root, counter in cls.ROOTS:
            if not os.path.exists(os.path.join(root, counter)) and not os.path.exists(os.path.join(root, "cgroup.procs")):
                continue
            path = os.path.join(root, f"wharf-bench-{name}")
            try:
                if not os.path.isdir(path):
                    os.mkdir(path)
                if os.path.exists(os.path.join(path, counter)) and os.access(os.path.join(path, "cgroup.procs"), os.W_OK):
                    return cls(path, counter)
                os.rmdir(path)
            except OSError:
                pass
        return None

    def join(self):
        """Runs in the forked child before exec (preexec_fn)."""
        with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))

    def seconds(self):
        with open(os.path.join(self.path, self.counter)) as f:
            text = f.read()
        if self.counter == "cpuacct.usage":
            return int(text) / 1e9
        return int(re.search(r"usage_usec (\d+)", text).group(1)) / 1e6

    def method(self):
        root = os.path.dirname(self.path)
        return f"each server in its own cgroup, {root}/wharf-bench-<server>/{self.counter} (counts exited processes)"

    def remove(self):
        for _ in range(50):
            try:
                os.rmdir(self.path)
                return
            except OSError:
                time.sleep(0.1)  # the last processes are still being torn down


CGROUPS = {}  # server pid -> CpuCgroup


def cpu_seconds(root):
    """The server's CPU seconds so far: from its cgroup when it has one, else utime+stime of every process of
    its tree plus cutime+cstime (children already reaped by their parents)."""
    if root in CGROUPS:
        return CGROUPS[root].seconds()
    total = 0
    for p in proc_tree(root):
        try:
            r = _stat(p)
            total += int(r[11]) + int(r[12]) + int(r[13]) + int(r[14])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK


def settle_heap(root):
    """For a JVM, run a full GC first (jcmd GC.run), so that RSS counts what the sessions hold rather than the
    garbage their handshakes left in the young generation; G1 gives freed heap back to the OS after a full GC.
    A no-op for other servers."""
    try:
        exe = os.readlink(f"/proc/{root}/exe")
    except OSError:
        return False
    if not exe.endswith("/java"):
        return False
    jcmd = os.path.join(os.path.dirname(exe), "jcmd")
    if not os.path.exists(jcmd):
        return False
    subprocess.run([jcmd, str(root), "GC.run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    time.sleep(1)
    return True


def memory_kib(root):
    """VmRSS for a single-process server; the sum of Pss over the tree for forking servers."""
    tree = proc_tree(root)
    if len(tree) == 1:
        with open(f"/proc/{root}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)), "VmRSS"
    total = 0
    for p in tree:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += int(re.search(r"Pss:\s+(\d+)", f.read()).group(1))
        except (OSError, AttributeError):
            pass
    return total, f"sum of Pss over {len(tree)} processes"


# ---------------------------------------------------------------- setup
def java_version(home):
    out = subprocess.run([f"{home}/bin/java", "-version"], capture_output=True, text=True).stderr
    return out.splitlines()[0] + " / " + out.splitlines()[1] if out else "?"


def setup(work, size_mib, small_files, small_size):
    os.makedirs(work, exist_ok=True)
    tls = os.path.join(work, "tls")
    os.makedirs(tls, exist_ok=True)
    cert, key = os.path.join(tls, "cert.pem"), os.path.join(tls, "key.pem")
    if not os.path.exists(cert):
        log("generating the RSA 2048 certificate (openssl)")
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
             "-days", "3650", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run(["openssl", "pkcs12", "-export", "-in", cert, "-inkey", key, "-out", os.path.join(tls, "server.p12"),
             "-passout", "pass:benchpass", "-name", "server"])
        with open(os.path.join(tls, "combined.pem"), "w") as f:
            f.write(open(key).read() + open(cert).read())
        os.chmod(key, 0o600)
        os.chmod(os.path.join(tls, "combined.pem"), 0o600)

    # one system user: vsftpd logs it in through PAM, pure-ftpd's virtual user maps to its uid
    try:
        pwd.getpwnam(USER)
    except KeyError:
        log(f"creating system user {USER}")
        run(["useradd", "-M", "-d", os.path.join(work, "home"), "-s", "/bin/bash", USER])
    run(["chpasswd"], input=f"{USER}:{PASSWORD}\n", text=True)
    u = pwd.getpwnam(USER)

    home = os.path.join(work, "home")
    os.makedirs(os.path.join(home, "small"), exist_ok=True)
    big = os.path.join(home, "big.bin")
    if not os.path.exists(big) or os.path.getsize(big) != size_mib << 20:
        log(f"writing {size_mib} MiB test file {big}")
        run(["dd", "if=/dev/urandom", f"of={big}", "bs=1M", f"count={size_mib}", "status=none"])
    for i in range(small_files):
        p = os.path.join(home, "small", f"f{i:03d}.bin")
        if not os.path.exists(p) or os.path.getsize(p) != small_size:
            with open(p, "wb") as f:
                f.write(os.urandom(small_size))
    for dirpath, dirs, files in os.walk(home):
        os.chown(dirpath, u.pw_uid, u.pw_gid)
        for n in files:
            os.chown(os.path.join(dirpath, n), u.pw_uid, u.pw_gid)
    os.chmod(home, 0o755)

    # upload source: tmpfs when there is one, so the client's reads cost no disk
    src_dir = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else work
    src = os.path.join(src_dir, "wharf-bench-upload.bin")
    if not os.path.exists(src) or os.path.getsize(src) != size_mib << 20:
        shutil.copyfile(big, src)
    # an Argon2id hash of the password at Wharf's default cost, from Wharf's own tool (used for pure-ftpd)
    argon2 = subprocess.run([os.path.join(REPO, "launcher", "target", "wharf", "bin", "wharf"), "hash-password"],
                            input=PASSWORD + "\n", capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    return dict(argon2=argon2, work=work, home=home, cert=cert, key=key, tls=tls, big=big, src=src, src_dir=src_dir,
                uid=u.pw_uid, gid=u.pw_gid)


# ---------------------------------------------------------------- servers
class Server:
    name = "?"
    proc = None
    cgroup = None

    def __init__(self, env):
        self.env = env
        self.tls_suite = None
        self.use_port(PORT, PASV_LO, PASV_HI)

    def use_port(self, port, pasv_lo, pasv_hi):
        """The control port and passive range of the next start (the interleaved transfer runs give every server
        its own, so that all run at once)."""
        self.port, self.pasv_lo, self.pasv_hi = port, pasv_lo, pasv_hi

    def command(self):
        raise NotImplementedError

    def prepare(self):
        pass

    def version(self):
        return ""

    def start(self):
        self.prepare()
        cmd, extra_env, cwd = self.command()
        e = dict(os.environ)
        e.update(extra_env)
        logf = open(os.path.join(self.env["work"], f"{self.name}.log"), "ab")
        self.cgroup = CpuCgroup.create(self.name)
        self.proc = subprocess.Popen(cmd, env=e, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=self.cgroup.join if self.cgroup else None)
        if self.cgroup:
            CGROUPS[self.proc.pid] = self.cgroup
        self.wait_ready()
        return self.proc.pid

    def wait_ready(self, timeout=90):
        deadline = time.time() + timeout
        last = None
        tls_failing_since = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see its log")
            try:
                f = ftplib.FTP_TLS(context=ssl._create_unverified_context(), timeout=5)
                f.connect(HOST, self.port)
                f.auth()
                # what an OpenSSL client (curl, this ftplib) gets: the servers' suite choices differ in cost
                self.tls_suite = f"{f.sock.version()} {f.sock.cipher()[0]}"
                f.prot_p()
                f.login(USER, PASSWORD)
                f.pwd()
                f.quit()
                return
            except ssl.SSLError as e:  # TLS offered, but the handshake fails
                last = e
                tls_failing_since = tls_failing_since or time.time()
                if time.time() - tls_failing_since > 10:
                    raise HandshakeFailure(f"{self.name}: TLS handshakes keep failing: {e}")
                time.sleep(0.5)
            except Exception as e:  # not up yet / configuration not loaded yet
                last = e
                tls_failing_since = None
                time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready after {timeout}s: {last}")

    def stop(self):
        if not self.proc:
            return
        tree = proc_tree(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        for p in tree[1:]:  # session processes of forking servers still alive
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        cgroup = CGROUPS.pop(self.proc.pid, None)
        if cgroup:
            cgroup.remove()
        self.proc = None
        wait_port_free(self.port)


class HandshakeFailure(RuntimeError):
    pass


def wait_port_free(port=PORT, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = socket.socket()
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((HOST, port))
            return
        except OSError:
            time.sleep(0.3)
        finally:
            s.close()


class Wharf(Server):
    # events: "" (the launcher as shipped: EventAdmin present, no handler), "noevents" (EventAdmin removed: Wharf
    # builds no events at all) or "handler" (EventAdmin and one handler subscribed to every Wharf topic)
    def __init__(self, env, java_home, label, events=""):
        super().__init__(env)
        self.java_home = java_home
        self.events = events
        self.name = f"wharf-{label}" + (f"-{events}" if events else "")
        # BENCH_WHARF_PROTOCOLS forces the ssl configuration's 'protocols'; unset: Wharf's default
        # (TLSv1.3,TLSv1.2), falling back to TLSv1.2 when TLS 1.3 handshakes fail with the RSA certificate.
        self.protocols = os.environ.get("BENCH_WHARF_PROTOCOLS", "")
        self.note = ""

    def version(self):
        v = "Wharf (launcher build) on " + java_version(self.java_home)
        return v + (f"; {self.note}" if self.note else "")

    def start(self):
        try:
            return super().start()
        except HandshakeFailure as e:
            if self.protocols:
                raise
            self.stop()
            log(f"{e}; restarting with protocols = TLSv1.2 (see README: Wharf and RSA keys on TLS 1.3)")
            self.protocols = "TLSv1.2"
            self.note = ("TLS 1.3 handshakes failed with the RSA 2048 certificate (no selectable cipher suite), "
                         "so Wharf ran with protocols = TLSv1.2")
            return super().start()

    def prepare(self):
        dist = os.path.join(self.env["work"], self.name)
        shutil.rmtree(dist, ignore_errors=True)
        shutil.copytree(os.path.join(REPO, "launcher", "target", "wharf"), dist)
        bundles = os.path.join(dist, "bundle")
        if self.events == "noevents":
            for f in os.listdir(bundles):
                if f.startswith("org.apache.felix.eventadmin"):
                    os.remove(os.path.join(bundles, f))
        elif self.events == "handler":
            shutil.copy(os.path.join(BENCH, "target", "wharf-bench-0.1.0-SNAPSHOT-events-handler.jar"), bundles)
        etc = os.path.join(dist, "etc")
        for f in os.listdir(etc):
            os.remove(os.path.join(etc, f))
        with open(os.path.join(etc, "dev.wharf.ftp.listener-default.cfg"), "w") as f:
            f.write(f"name = default\nhost = {HOST}\nport = {self.port}\npassive.ports = {self.pasv_lo}-{self.pasv_hi}\n"
                    "idle.timeout = 1800\ntls.session.reuse = allowed\n"
                    # plain workloads and 10,000 sessions from one address, as the peers are set up
                    "tls.required = none\nmax.connections = 0\nmax.connections.per.ip = 0\n")
        with open(os.path.join(etc, "dev.wharf.ftp.ssl-default.cfg"), "w") as f:
            # BENCH_WHARF_CIPHER_SUITES: e.g. TLS_AES_256_GCM_SHA384 for the suite the C peers give OpenSSL clients
            suites = os.environ.get("BENCH_WHARF_CIPHER_SUITES", "")
            f.write(f"name = default\ncertificate = {self.env['cert']}\nprivate.key = {self.env['key']}\n"
                    + (f"protocols = {self.protocols}\n" if self.protocols else "")
                    + (f"cipher.suites = {suites}\n" if suites else ""))
        with open(os.path.join(etc, f"dev.wharf.ftp.user-{USER}.cfg"), "w") as f:
            f.write(f"name = {USER}\npassword = {PASSWORD}\nhome = {self.env['home']}\nwrite = true\n")
        self.dist = dist

    def command(self):
        return ([os.path.join(self.dist, "bin", "wharf")],
                {"JAVA_HOME": self.java_home, "JAVA_OPTS": os.environ.get("WHARF_JAVA_OPTS", "")}, self.dist)


class ApacheFtpServer(Server):
    name = "apache-ftpserver"

    def __init__(self, env, java_home):
        super().__init__(env)
        self.java_home = java_home

    def version(self):
        return "Apache FtpServer 1.2.1 (MINA 2.2.4) on " + java_version(self.java_home)

    def command(self):
        cp = os.path.join(BENCH, "target", "classes") + ":" + os.path.join(BENCH, "target", "lib", "*")
        return ([f"{self.java_home}/bin/java", "-cp", cp, "bench.ApacheFtpServerMain", str(self.port),
                 f"{self.pasv_lo}-{self.pasv_hi}", os.path.join(self.env["tls"], "server.p12"), "benchpass",
                 os.path.join(self.env["work"], "apache-users.properties"), USER, PASSWORD, self.env["home"]],
                {}, self.env["work"])


class Vsftpd(Server):
    name = "vsftpd"

    def __init__(self, env, binary):
        super().__init__(env)
        self.binary = binary

    def version(self):
        return "vsftpd " + deb_version("vsftpd")

    def prepare(self):
        d = os.path.join(self.env["work"], "vsftpd")
        os.makedirs(os.path.join(d, "empty"), exist_ok=True)
        os.chmod(os.path.join(d, "empty"), 0o755)
        self.conf = os.path.join(d, "vsftpd.conf")
        with open(self.conf, "w") as f:
            f.write(f"""listen=YES
listen_ipv6=NO
listen_address={HOST}
listen_port={self.port}
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
local_root={self.env['home']}
chroot_local_user=NO
userlist_enable=NO
pam_service_name=vsftpd
secure_chroot_dir={os.path.join(d, 'empty')}
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
max_clients=0
max_per_ip=0
idle_session_timeout=1800
data_connection_timeout=300
xferlog_enable=NO
dirmessage_enable=NO
pasv_enable=YES
pasv_min_port={self.pasv_lo}
pasv_max_port={self.pasv_hi}
pasv_address={HOST}
ssl_enable=YES
allow_anon_ssl=NO
force_local_data_ssl=NO
force_local_logins_ssl=NO
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=YES
require_ssl_reuse=NO
ssl_ciphers=HIGH
rsa_cert_file={self.env['cert']}
rsa_private_key_file={self.env['key']}
""")

    def command(self):
        return [self.binary, self.conf], {}, self.env["work"]


class PureFtpd(Server):
    name = "pure-ftpd"

    def __init__(self, env, binary, pure_pw):
        super().__init__(env)
        self.binary, self.pure_pw = binary, pure_pw

    def version(self):
        return "pure-ftpd " + (deb_version("pure-ftpd") or deb_file_version(self.binary))

    def prepare(self):
        d = os.path.join(self.env["work"], "pure-ftpd")
        os.makedirs(d, exist_ok=True)
        passwd, pdb = os.path.join(d, "pureftpd.passwd"), os.path.join(d, "pureftpd.pdb")
        for p in (passwd, pdb):
            if os.path.exists(p):
                os.remove(p)
        run([self.pure_pw, "useradd", USER, "-u", str(self.env["uid"]), "-g", str(self.env["gid"]),
             "-d", self.env["home"], "-f", passwd], input=f"{PASSWORD}\n{PASSWORD}\n", text=True,
            stdout=subprocess.DEVNULL)
        # pure-pw's own default here is Argon2id with m=8 MiB, t=1023 (~3.6 s of CPU per login): give the user
        # the same Argon2id cost as Wharf's (m=19 MiB, t=2, p=1; libsodium verifies any PHC parameters).
        lines = open(passwd).read().splitlines()
        fields = lines[0].split(":")
        fields[1] = self.env["argon2"]
        with open(passwd, "w") as f:
            f.write(":".join(fields) + "\n")
        run([self.pure_pw, "mkdb", pdb, "-f", passwd])
        self.conf = os.path.join(d, "pure-ftpd.conf")
        with open(self.conf, "w") as f:
            f.write(f"""ChrootEveryone no
Daemonize no
Bind {HOST},{self.port}
IPV4Only yes
PureDB {pdb}
NoAnonymous yes
MaxClientsNumber 20000
MaxIdleTime 30
DontResolve yes
SyslogFacility none
VerboseLog no
DisplayDotFiles yes
PassivePortRange {self.pasv_lo} {self.pasv_hi}
ForcePassiveIP {HOST}
Umask 133:022
MinUID 100
TLS 1
TLSCipherSuite HIGH
CertFile {os.path.join(self.env['tls'], 'combined.pem')}
""")

    def command(self):
        return [self.binary, self.conf], {}, self.env["work"]


def deb_version(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


def deb_file_version(binary):
    m = re.search(r"pure-ftpd_([^_/]+)_", os.path.realpath(binary))
    v = open(os.path.join(os.path.dirname(binary), "..", "..", "VERSION")).read().strip() \
        if os.path.exists(os.path.join(os.path.dirname(binary), "..", "..", "VERSION")) else ""
    return (m.group(1) if m else v) + " (Debian package, unpacked)"


# ---------------------------------------------------------------- workloads
def curl_transfer(server_pid, tls, upload, env, name, port=PORT):
    url = f"ftp://{HOST}:{port}/"
    cmd = ["curl", "-sS", "--ftp-pasv", "--ftp-skip-pasv-ip", "-k", "--max-time", "900",
           "-u", f"{USER}:{PASSWORD}", "-w", "%{size_download} %{size_upload} %{time_total}\n"]
    if tls:
        cmd += ["--ssl-reqd"]
    if upload:
        target = f"up-{name}.bin"
        cmd += ["-T", env["src"], url + target, "-o", "/dev/null"]
    else:
        cmd += [url + "big.bin", "-o", "/dev/null"]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c0 = cpu_seconds(server_pid)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    # without a cgroup, forking servers: let the session processes exit and be reaped, so that their CPU reaches
    # the listener's cutime (an exited, unreaped child shows none in /proc)
    if server_pid not in CGROUPS:
        time.sleep(0.5)
    c1 = cpu_seconds(server_pid)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    if p.returncode != 0:
        raise RuntimeError(f"curl failed ({p.returncode}): {err.decode().strip()}")
    down, up, total = out.decode().split()
    nbytes = float(up) if upload else float(down)
    expected = os.path.getsize(env["big"])
    if upload:
        path = os.path.join(env["home"], f"up-{name}.bin")
        got = os.path.getsize(path) if os.path.exists(path) else -1
        if os.path.exists(path):
            os.remove(path)
        if got != expected:
            raise RuntimeError(f"upload stored {got} bytes, expected {expected}")
    elif nbytes != expected:
        raise RuntimeError(f"download got {nbytes} bytes, expected {expected}")
    return dict(value=nbytes / float(total) / MB, server_cpu=c1 - c0, client_cpu=client_cpu, bytes=nbytes)


def warm_up_transfers(name, key, pid, env, cfg, port=PORT):
    """Untimed transfers before the timed ones: the same cached file for all servers, and for the JVM servers JIT
    compilation, which goes on for several GiB of TLS (C2 still compiles BCJSSE's record layer and the AES-GCM
    paths after the first GiB; the first timed run then paid 2.5x the server CPU of the later ones). So: at least
    BENCH_TRANSFER_WARMUPS transfers, then more until the server's CPU per byte of two in a row agree within 10%
    (steady state), at most BENCH_TRANSFER_WARMUPS_MAX. A C server is steady after two."""
    previous = None
    for w in range(max(cfg.transfer_warmups, cfg.transfer_warmups_max)):
        r = curl_transfer(pid, key.startswith("tls"), key.endswith("stor"), env, f"{name}-{key}-warmup{w}", port)
        per_byte = r["server_cpu"] / r["bytes"]
        steady = previous is not None and abs(per_byte - previous) <= 0.1 * previous
        log(f"{name} {key} warm-up {w + 1} done: server CPU {per_byte * 1e9:.2f} s/GB"
            + (" (steady)" if steady else ""))
        if w + 1 >= cfg.transfer_warmups and steady:
            return
        previous = per_byte


TRANSFERS = ("tls_retr", "tls_stor", "plain_retr", "plain_stor")


def log_run(name, key, i, r):
    log(f"{name} {key} run {i + 1}: {fmt(r['value'])}  server CPU "
        f"{fmt(r.get('server_cpu'), 2)} s  client CPU {fmt(r.get('client_cpu'), 2)} s"
        + (f"  p50/p99 {r['p50']:.2f}/{r['p99']:.2f} ms" if 'p50' in r else ""))


def interleaved_transfers(servers, keys, env, cfg, results):
    """The transfer workloads with every server running at once, each on its own port and passive range, and the
    timed runs taking turns: run i of every server, then run i + 1, the order rotated each round. This VM's speed
    drifts by up to 30% over tens of seconds (the same build measured 510 and 690 MB/s a minute apart), so servers
    measured one after the other were compared across different machine states; taking turns spreads that drift
    over all of them. Each server still warms up alone before the rounds, and its CPU is its own cgroup's."""
    running = []
    try:
        for i, srv in enumerate(servers):
            srv.use_port(PORT + 1 + i, PASV_LO + 100 * i, PASV_LO + 100 * i + 99)
            try:
                pid = srv.start()
                log(f"{srv.name}: started, pid {pid}, port {srv.port}")
                running.append((srv, pid))
            except Exception as e:
                log(f"{srv.name}: FAILED: {e}")
                results.setdefault(srv.name, {})["start"] = {"error": str(e)}
                srv.stop()
        for key in keys:
            failed, runs = {}, {srv.name: [] for srv, _ in running}
            for srv, pid in running:
                try:
                    warm_up_transfers(srv.name, key, pid, env, cfg, srv.port)
                except Exception as e:
                    failed[srv.name] = e
            for i in range(cfg.reps):
                turn = running[i % len(running):] + running[:i % len(running)]
                for srv, pid in turn:
                    if srv.name in failed:
                        continue
                    try:
                        r = curl_transfer(pid, key.startswith("tls"), key.endswith("stor"), env,
                                          f"{srv.name}-{key}-{i}", srv.port)
                    except Exception as e:
                        failed[srv.name] = e
                        continue
                    runs[srv.name].append(r)
                    log_run(srv.name, key, i, r)
            for srv, _ in running:
                if srv.name in failed:
                    log(f"{srv.name} {key}: FAILED: {failed[srv.name]}")
                results.setdefault(srv.name, {})[key] = (
                    runs[srv.name] if runs[srv.name] or srv.name not in failed else {"error": str(failed[srv.name])})
    finally:
        for srv, _ in running:
            srv.stop()
        for srv in servers:
            srv.use_port(PORT, PASV_LO, PASV_HI)


LOAD_CLIENT = os.path.join(BENCH, "target", "ftps-load")  # bench/src/main/c/ftps-load.c


def run_client(server_pid, args, timeout, stdin_hook=None, cmd=None):
    """Runs a load client (default: the Java one); samples server CPU at MEASURE_START/MEASURE_END; returns the
    RESULT fields."""
    if cmd is None:
        cmd = [CLIENT_JAVA, "-Xss256k", "-Xmx3g", "-cp", os.path.join(BENCH, "target", "classes"),
               "bench.LoadClient"] + args
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE if stdin_hook is None else None,
                         stdin=subprocess.PIPE, text=True, bufsize=1)
    c0 = c1 = None
    result = None
    deadline = time.time() + timeout
    extra = {}
    try:
        for line in p.stdout:
            line = line.strip()
            if line == "MEASURE_START":
                c0 = cpu_seconds(server_pid)
            elif line == "MEASURE_END":
                c1 = cpu_seconds(server_pid)
            elif line.startswith("READY") and stdin_hook:
                extra = stdin_hook(line)
                p.stdin.write("go\n")
                p.stdin.flush()
            elif line.startswith("RESULT"):
                result = dict(kv.split("=", 1) for kv in line.split()[1:])
            if time.time() > deadline:
                raise RuntimeError("load client over its time limit")
        p.wait(60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    if result is None:
        err = p.stderr.read() if p.stderr else ""
        raise RuntimeError(f"load client gave no result (exit {p.returncode}): {err[-2000:]}")
    if c0 is not None and c1 is not None:
        result["server_cpu"] = c1 - c0
    result.update(extra)
    return result


def sessions_workload(pid, cfg, login=True, port=PORT):
    # the C client: the JDK one needed more CPU than the servers it measured and capped the fastest ones
    r = run_client(pid, None, timeout=cfg.session_seconds + cfg.warmup + 120,
                   cmd=[LOAD_CLIENT, "sessions", HOST, str(port), USER, PASSWORD, "8", str(cfg.warmup),
                        str(cfg.session_seconds), "1" if login else "0"])
    if int(r["failed"]) > 0:
        log(f"  {r['failed']} sessions failed: {r['first_error']}")
    return dict(value=float(r["rate"]), server_cpu=r.get("server_cpu"), client_cpu=float(r["client_cpu_s"]),
                p50=float(r["p50_ms"]), p99=float(r["p99_ms"]), count=int(r["sessions"]), failed=int(r["failed"]))


def files_workload(pid, cfg, warmup=False, tls12=False, port=PORT):
    # the C client: the JDK client cost as much CPU as the servers it measured
    clients, count = (20, 100) if warmup else (cfg.file_clients, cfg.files_per_client)
    r = run_client(pid, None, timeout=900,
                   cmd=[LOAD_CLIENT, "files", HOST, str(port), USER, PASSWORD, "small", str(count), str(clients),
                        str(cfg.small_size), "1.2" if tls12 else "1.3"])
    if int(r["failed"]) > 0 or int(r["login_failed"]) > 0:
        log(f"  {r['failed']} files / {r['login_failed']} logins failed: {r['first_error']}")
    return dict(value=float(r["rate"]), server_cpu=r.get("server_cpu"), client_cpu=float(r["client_cpu_s"]),
                p50=float(r["p50_ms"]), p99=float(r["p99_ms"]), count=int(r["files"]),
                failed=int(r["failed"]) + int(r["login_failed"]) * cfg.files_per_client,
                resumed=int(r["resumed"]))


def idle_workload(server, cfg):
    pid = server.start()
    try:
        time.sleep(3)
        settle_heap(pid)
        before, how = memory_kib(pid)
        c0 = cpu_seconds(pid)
        snap = {}

        def at_ready(line):
            log("  " + line)
            time.sleep(3)
            snap["raw_after"], _ = memory_kib(pid)
            snap["gc"] = settle_heap(pid)
            snap["after"], _ = memory_kib(pid)
            snap["open_cpu"] = cpu_seconds(pid) - c0
            snap["threads"] = sum(1 for _ in os.listdir(f"/proc/{pid}/task"))
            snap["processes"] = len(proc_tree(pid))
            return {}

        r = run_client(pid, ["idle", "--port", str(server.port), "--user", USER, "--pass", PASSWORD,
                             "--sessions", str(cfg.idle_count(server.name)), "--threads", "8"], timeout=3600,
                       stdin_hook=at_ready)
    finally:
        server.stop()
    n = int(r["open"])
    per = (snap["after"] - before) / max(n, 1)
    raw_per = (snap["raw_after"] - before) / max(n, 1)
    return dict(value=per, raw_value=raw_per, after_gc=snap["gc"], before_kib=before, after_kib=snap["after"],
                memory=how, open=n,
                open_failed=int(r["failed"]), noop_ok=int(r["noop_ok"]), noop_failed=int(r["noop_failed"]),
                noop_p99=float(r["p99_ms"]), open_wall=float(r["open_wall_s"]), server_cpu=snap["open_cpu"],
                threads=snap["threads"], processes=snap["processes"], first_error=r.get("first_error"))


WORKLOADS = [
    # key, title, unit, higher is better
    ("tls_retr", "TLS RETR (PROT P)", "MB/s", True),
    ("tls_stor", "TLS STOR (PROT P)", "MB/s", True),
    ("plain_retr", "plain RETR", "MB/s", True),
    ("plain_stor", "plain STOR", "MB/s", True),
    ("sessions", "TLS session set-up, 8 clients", "sessions/s", True),
    ("sessions_nologin", "(diagnostic) TLS set-up without USER/PASS", "sessions/s", True),
    ("files", "small files: 50 clients x 200 x 4 KiB, PROT P", "files/s", True),
    ("files_tls12", "(diagnostic) small files, client capped at TLS 1.2", "files/s", True),
    ("idle", "idle TLS sessions", "KiB RSS/session", False),
]


def fmt(v, digits=1):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.{digits}f}"


def summarize(runs):
    vals = [r["value"] for r in runs]
    med = lambda k: statistics.median([r[k] for r in runs if r.get(k) is not None]) \
        if any(r.get(k) is not None for r in runs) else None
    return dict(median=statistics.median(vals), min=min(vals), max=max(vals), server_cpu=med("server_cpu"),
                client_cpu=med("client_cpu"), p50=med("p50"), p99=med("p99"), n=len(vals),
                failed=sum(r.get("failed", 0) for r in runs))


def cpu_per_unit(key, s, runs):
    """Server CPU per unit of work: s per GB, ms per session, ms per file."""
    if s["server_cpu"] is None:
        return "-"
    if key in ("tls_retr", "tls_stor", "plain_retr", "plain_stor"):
        b = statistics.median([r["bytes"] for r in runs])
        return f"{s['server_cpu'] / (b / 1e9):.2f} s/GB"
    if key in ("sessions", "sessions_nologin", "files", "files_tls12"):
        c = statistics.median([r["count"] for r in runs])
        return f"{1000 * s['server_cpu'] / max(c, 1):.2f} ms/{'file' if key.startswith('files') else 'session'}"
    return "-"


def table(results, servers, cfg):
    wharfs = [s for s in servers if s.startswith("wharf")]
    lines = []
    hdr = ["workload", "server", "median", "min", "max", "unit", "server CPU s/run", "client CPU s/run",
           "server CPU/unit", "p50/p99 ms"] + [f"{w} ÷ this" for w in wharfs]
    lines.append("| " + " | ".join(hdr) + " |")
    lines.append("|" + "---|" * len(hdr))
    for key, title, unit, higher in WORKLOADS:
        for srv in servers:
            runs = results.get(srv, {}).get(key)
            if not runs:
                continue
            if isinstance(runs, dict):  # error
                lines.append(f"| {title} | {srv} | failed: {runs['error'][:80]} |" + " |" * (len(hdr) - 3))
                continue
            s = summarize(runs)
            ratios = []
            for w in wharfs:
                wr = results.get(w, {}).get(key)
                if not wr or isinstance(wr, dict) or w == srv:
                    ratios.append("")
                    continue
                ws = summarize(wr)
                ratio = ws["median"] / s["median"] if higher else s["median"] / ws["median"]
                ratios.append(f"{ratio:.2f}×")
            extra = ""
            if key == "files":
                title = f"small files: {cfg.file_clients} clients x {cfg.files_per_client} x 4 KiB, PROT P"
            if key in ("files", "files_tls12"):
                extra = f" ({statistics.median([r.get('resumed', 0) for r in runs]):.0f} data handshakes resumed/run)"
            if key == "idle":
                r = runs[0]
                gc = (f", after a full GC; {r['raw_value']:.0f} before it" if r.get("after_gc") else "")
                extra = (f" ({r['open']} open, {r['noop_ok']}/{r['open']} NOOP ok, {r['memory']}{gc}, "
                         f"{r['threads']} threads)")
            pp = f"{fmt(s['p50'], 2)}/{fmt(s['p99'], 2)}" if s["p50"] is not None else "-"
            if key == "idle":
                pp = f"NOOP p99 {fmt(runs[0]['noop_p99'], 2)}"
            fail = f" ({s['failed']} failed)" if s["failed"] else ""
            lines.append("| " + " | ".join([
                title, srv, fmt(s["median"]) + fail, fmt(s["min"]), fmt(s["max"]), unit + extra,
                fmt(s["server_cpu"], 2), fmt(s["client_cpu"], 2), cpu_per_unit(key, s, runs), pp] + ratios) + " |")
    return "\n".join(lines)


def machine(servers_objs, env, cfg):
    info = {}
    info["nproc"] = os.cpu_count()
    try:
        info["cpu"] = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read()).group(1)
    except Exception:
        info["cpu"] = "?"
    info["kernel"] = platform.release()
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
    info["memory"] = f"{mem_kib // 1048576} GiB"
    info["curl"] = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    info["load clients"] = ("curl for transfers; bench/src/main/c/ftps-load.c ("
                            + " ".join(subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.split()[:2])
                            + ") for session set-up and small files; bench.LoadClient on "
                            + java_version(os.path.dirname(os.path.dirname(CLIENT_JAVA))) + " for idle sessions")
    cgroup = next((s.cgroup for s in servers_objs if s.cgroup), None)
    info["server CPU"] = cgroup.method() if cgroup else "sum over the server's /proc tree, reaped children included"
    info["transfer order"] = ("interleaved: all servers running, each on its own port, taking turns run by run "
                              "(BENCH_INTERLEAVE=0: one server after the other)" if cfg.interleave else
                              "one server after the other (BENCH_INTERLEAVE=0)")
    info["upload source"] = env["src"] + (" (tmpfs)" if env["src_dir"] == "/dev/shm" else " (same disk)")
    info["home"] = env["home"]
    for s in servers_objs:
        info[s.name] = s.version() + (f"; TLS with an OpenSSL client: {s.tls_suite}" if s.tls_suite else "")
    return info


def report(cfg, servers, results, env, started, stamp, final):
    elapsed = time.time() - started
    info = machine(servers, env, cfg)
    out = [f"# Wharf benchmark, {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
           "", f"{cfg.size_mib} MiB file, untimed warm-up transfers until the server's CPU per byte is steady (at least {cfg.transfer_warmups}, at most {cfg.transfer_warmups_max}) then {cfg.reps} runs per workload (median, min, max), "
           f"session set-up {cfg.session_seconds:g} s per run after {cfg.warmup:g} s warm-up, small files "
           f"{cfg.file_clients} clients x {cfg.files_per_client}, idle {cfg.idle_sessions} sessions; "
           f"took {elapsed / 60:.1f} min. MB = 10^6 bytes.", ""]
    out += [f"- {k}: {v}" for k, v in info.items()]
    out += ["", table(results, [s.name for s in servers], cfg), ""]
    text = "\n".join(out)
    if final:
        print(text)
    with open(os.path.join(cfg.work, f"results-{stamp}.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(cfg.work, f"results-{stamp}.json"), "w") as f:
        json.dump(dict(info=info, results=results), f, indent=1, default=str)


# ---------------------------------------------------------------- main
CLIENT_JAVA = "java"


def main():
    global CLIENT_JAVA
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    ap.add_argument("--servers", default="", help="comma-separated subset of server names")
    ap.add_argument("--workloads", default="", help="comma-separated subset of workload keys")
    ap.add_argument("--work", default=os.environ.get("BENCH_WORK", "/var/tmp/wharf-bench"))
    ap.add_argument("--java17", default=os.environ.get("JAVA17_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"))
    ap.add_argument("--java25", default=os.environ.get("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"))
    ap.add_argument("--vsftpd", default="")
    ap.add_argument("--pure-ftpd", dest="pureftpd", default="")
    ap.add_argument("--pure-pw", dest="purepw", default="")
    cfg = ap.parse_args()
    cfg.size_mib = int(os.environ.get("BENCH_SIZE_MIB", 64 if cfg.quick else 1024))
    cfg.reps = int(os.environ.get("BENCH_REPS", 3))
    cfg.transfer_warmups = int(os.environ.get("BENCH_TRANSFER_WARMUPS", 1))
    cfg.transfer_warmups_max = int(os.environ.get("BENCH_TRANSFER_WARMUPS_MAX", 6))
    cfg.interleave = os.environ.get("BENCH_INTERLEAVE", "1") != "0"
    cfg.session_seconds = float(os.environ.get("BENCH_SESSION_SECONDS", 3 if cfg.quick else 10))
    cfg.warmup = float(os.environ.get("BENCH_WARMUP_SECONDS", 1 if cfg.quick else 3))
    cfg.file_clients = int(os.environ.get("BENCH_FILE_CLIENTS", 10 if cfg.quick else 50))
    cfg.files_per_client = int(os.environ.get("BENCH_FILES_PER_CLIENT", 50 if cfg.quick else 200))
    cfg.small_size = 4096
    cfg.files_guard = float(os.environ.get("BENCH_FILES_GUARD_SECONDS", 60))
    # BENCH_IDLE_SESSIONS: one number for every idle server, or name=count pairs (the servers listed are the ones run)
    spec = os.environ.get("BENCH_IDLE_SESSIONS", "100" if cfg.quick else
                          "wharf-java25=10000,wharf-java17=10000,apache-ftpserver=10000")
    if "=" in spec:
        counts = {k: int(v) for k, v in (x.split("=") for x in spec.split(","))}
    else:
        counts = {k: int(spec) for k in ("wharf-java25", "wharf-java17", "apache-ftpserver")}
    cfg.idle_servers = list(counts)
    cfg.idle_count = lambda name: counts.get(name, 0)
    cfg.idle_sessions = spec

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < 11000:
        log(f"warning: open-files limit {hard} is low for 10,000 idle sessions")

    env = setup(cfg.work, cfg.size_mib, 200, cfg.small_size)
    CLIENT_JAVA = os.path.join(cfg.java17, "bin", "java") if os.path.exists(cfg.java17) else "java"

    servers = []
    if os.path.exists(cfg.java17):
        servers.append(Wharf(env, cfg.java17, "java17"))
    if os.path.exists(os.path.join(cfg.java25, "bin", "java")):
        servers.append(Wharf(env, cfg.java25, "java25"))
    if os.path.exists(cfg.java17):
        # Only when asked for by --servers: what events cost (see bench/README.md, "Events")
        servers.append(Wharf(env, cfg.java17, "java17", events="noevents"))
        servers.append(Wharf(env, cfg.java17, "java17", events="handler"))
    servers.append(ApacheFtpServer(env, cfg.java17 if os.path.exists(cfg.java17) else os.environ.get("JAVA_HOME")))
    if cfg.vsftpd and os.path.exists(cfg.vsftpd):
        servers.append(Vsftpd(env, cfg.vsftpd))
    else:
        log("vsftpd not available: skipped")
    if cfg.pureftpd and os.path.exists(cfg.pureftpd):
        servers.append(PureFtpd(env, cfg.pureftpd, cfg.purepw))
    else:
        log("pure-ftpd not available: skipped")
    if cfg.servers:
        wanted = cfg.servers.split(",")
        servers = [s for s in servers if s.name in wanted]
    else:
        servers = [s for s in servers if not getattr(s, "events", "")]
    keys = [k for k, *_ in WORKLOADS]
    if cfg.workloads:
        keys = [k for k in keys if k in cfg.workloads.split(",")]

    wait_port_free(timeout=5)
    results = {}
    started = time.time()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    if cfg.interleave and len(servers) > 1 and any(k in TRANSFERS for k in keys):
        interleaved_transfers(servers, [k for k in keys if k in TRANSFERS], env, cfg, results)
        report(cfg, servers, results, env, started, stamp, final=False)
        keys = [k for k in keys if k not in TRANSFERS]
    for srv in servers:
        res = results.setdefault(srv.name, {})
        pid = None
        try:
            if any(k != "idle" for k in keys):
                pid = srv.start()
                log(f"{srv.name}: started, pid {pid}")
            for key in keys:
                if key == "idle":
                    continue
                runs = []
                reps = 1 if key in ("sessions_nologin", "files_tls12") else cfg.reps
                try:
                    if key in TRANSFERS:
                        warm_up_transfers(srv.name, key, pid, env, cfg)
                    if key in ("files", "files_tls12"):
                        # untimed: JIT for the JVM servers (the sessions workloads warm up inside the client)
                        files_workload(pid, cfg, warmup=True, tls12=key == "files_tls12")
                        log(f"{srv.name} {key} warm-up done")
                    i = 0
                    while i < reps:
                        if key in TRANSFERS:
                            r = curl_transfer(pid, key.startswith("tls"), key.endswith("stor"), env,
                                              f"{srv.name}-{key}-{i}")
                        elif key == "sessions":
                            r = sessions_workload(pid, cfg)
                        elif key == "sessions_nologin":
                            r = sessions_workload(pid, cfg, login=False)
                        elif key == "files_tls12":
                            r = files_workload(pid, cfg, tls12=True)
                        else:
                            r = files_workload(pid, cfg)
                            if i == 0 and r["value"] > 0 and cfg.file_clients * cfg.files_per_client / r["value"] > cfg.files_guard:
                                log(f"  small files: first run took over {cfg.files_guard:g} s, so only one run")
                                reps = 1
                        runs.append(r)
                        log_run(srv.name, key, i, r)
                        i += 1
                    res[key] = runs
                except Exception as e:
                    log(f"{srv.name} {key}: FAILED: {e}")
                    res[key] = runs if runs else {"error": str(e)}
        except Exception as e:
            log(f"{srv.name}: FAILED: {e}")
            res["start"] = {"error": str(e)}
        finally:
            srv.stop()
        if "idle" in keys and srv.name in cfg.idle_servers:
            try:
                log(f"{srv.name}: idle workload, {cfg.idle_count(srv.name)} sessions (fresh server)")
                r = idle_workload(srv, cfg)
                log(f"{srv.name} idle: {r['value']:.1f} KiB/session ({r['before_kib']} -> {r['after_kib']} KiB "
                    f"{r['memory']}), {r['noop_ok']}/{r['open']} NOOP ok, {r['open_failed']} failed to open, "
                    f"opening took {r['open_wall']} s and {r['server_cpu']:.1f} server CPU s, "
                    f"{r['threads']} threads")
                res["idle"] = [r]
            except Exception as e:
                log(f"{srv.name} idle: FAILED: {e}")
                res["idle"] = {"error": str(e)}
                srv.stop()

        report(cfg, servers, results, env, started, stamp, final=False)  # partial results after each server

    report(cfg, servers, results, env, started, stamp, final=True)
    log(f"results written to {cfg.work}/results-{stamp}.md and .json")


if __name__ == "__main__":
    main()
