/*
 * ftps-load: the benchmark's load client for small files and TLS session set-up, in C over OpenSSL so that the
 * client is cheap next to the server it measures (the JDK clients spent as much CPU as the servers did).
 *
 *   ftps-load files HOST PORT USER PASS DIR FILES CLIENTS SIZE [MAX_TLS]
 *   ftps-load sessions HOST PORT USER PASS THREADS WARMUP_S SECONDS LOGIN
 *
 * files: CLIENTS threads each log in once (AUTH TLS, USER/PASS, PBSZ 0, PROT P, TYPE I, CWD DIR), wait until all
 * have, then RETR DIR/f000.bin .. f(FILES-1).bin one after another: EPSV, connect, RETR, a TLS handshake on the
 * data connection that offers the newest resumable TLS session of that client (first the control connection's,
 * then each data connection's, as curl does), read to close_notify, check the size, read the 226. MAX_TLS "1.2"
 * caps the client at TLS 1.2 (default: OpenSSL's, TLS 1.3). Latencies are per file, EPSV to 226.
 *
 * sessions: THREADS threads each loop: new TCP connection (TCP_NODELAY), AUTH TLS with a full handshake (no
 * session offered), PBSZ 0, PROT P, then with LOGIN 1 USER/PASS and PWD, then QUIT; WARMUP_S seconds untimed,
 * then SECONDS timed. Latencies are per session, connect to the QUIT reply.
 *
 * Output follows bench.LoadClient: MEASURE_START / MEASURE_END lines around the timed part and one
 * "RESULT key=value ..." line.
 *
 * Build: cc -O2 -o ftps-load ftps-load.c -lssl -lcrypto -lpthread
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *host, *user, *pass, *dir;
static int port, files, clients, size, max_tls = TLS1_3_VERSION;
static SSL_CTX *ctx;

static pthread_barrier_t logged_in, go;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char first_error[256];
static long resumed; /* data connections that resumed the control connection's TLS session */
static long done_files, failed_files, login_failed, bytes_total;
static double *latencies; /* ms, one slot per file or session */
static long latency_count, latency_cap;
static long done_sessions, failed_sessions;
static int threads, with_login;
static double warmup_s, measure_s;
static volatile double measure_end; /* ms on the monotonic clock; 0 until the timed part starts */

/* one timed attempt per file and client: failures are counted, never retried */
static void fail(const char *fmt, ...) {
    pthread_mutex_lock(&lock);
    if (!first_error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(first_error, sizeof first_error, fmt, ap);
        va_end(ap);
        for (char *p = first_error; *p; p++)
            if (*p == ' ' || *p == '\r' || *p == '\n') *p = '_';
    }
    pthread_mutex_unlock(&lock);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_seconds(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static int dial(int p) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {30, 0}; /* every wait is bounded */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(p)};
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* the control connection: plain until AUTH TLS, then TLS; replies read line by line from a small buffer */
struct control {
    int fd;
    SSL *ssl;
    SSL_SESSION *newest; /* offered to the next data connection */
    char buf[4096];
    int start, end;
};

static int control_read(struct control *c, char *dst, int len) {
    return c->ssl ? SSL_read(c->ssl, dst, len) : (int)read(c->fd, dst, len);
}

static int read_line(struct control *c, char *line, int cap) {
    int n = 0;
    for (;;) {
        if (c->start == c->end) {
            int r = control_read(c, c->buf, sizeof c->buf);
            if (r <= 0) return -1;
            c->start = 0;
            c->end = r;
        }
        char ch = c->buf[c->start++];
        if (n < cap - 1) line[n++] = ch;
        if (ch == '\n') break;
    }
    line[n] = 0;
    return n;
}

/* reads one reply (multi-line aware); returns its code, the last line in line */
static int reply(struct control *c, char *line, int cap) {
    for (;;) {
        if (read_line(c, line, cap) < 0) return -1;
        if (strlen(line) >= 4 && line[0] >= '1' && line[0] <= '5' && line[3] == ' ') return atoi(line);
    }
}

static int command(struct control *c, char *line, int cap, const char *fmt, ...) {
    char out[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, sizeof out - 2, fmt, ap);
    va_end(ap);
    out[n++] = '\r';
    out[n++] = '\n';
    int w = c->ssl ? SSL_write(c->ssl, out, n) : (int)write(c->fd, out, n);
    if (w != n) return -1;
    return reply(c, line, cap);
}

static int login(struct control *c) {
    char line[512];
    if ((c->fd = dial(port)) < 0) return fail("connect_failed:%s", strerror(errno)), -1;
    if (reply(c, line, sizeof line) != 220) return fail("greeting:%s", line), -1;
    if (command(c, line, sizeof line, "AUTH TLS") != 234) return fail("AUTH:%s", line), -1;
    c->ssl = SSL_new(ctx);
    SSL_set_fd(c->ssl, c->fd);
    if (SSL_connect(c->ssl) != 1) return fail("control_handshake:%lu", ERR_get_error()), -1;
    int code = command(c, line, sizeof line, "USER %s", user);
    if (code == 331) code = command(c, line, sizeof line, "PASS %s", pass);
    if (code != 230) return fail("login:%s", line), -1;
    if (command(c, line, sizeof line, "PBSZ 0") != 200) return fail("PBSZ:%s", line), -1;
    if (command(c, line, sizeof line, "PROT P") != 200) return fail("PROT:%s", line), -1;
    if (command(c, line, sizeof line, "TYPE I") != 200) return fail("TYPE:%s", line), -1;
    if (command(c, line, sizeof line, "CWD %s", dir) != 250) return fail("CWD:%s", line), -1;
    return 0;
}

/* one file: EPSV, connect, RETR, data TLS (resuming the control session when the server allows), 226 */
static long fetch(struct control *c, int i) {
    char line[512];
    if (command(c, line, sizeof line, "EPSV") != 229) return fail("EPSV:%s", line), -1;
    char *bar = strstr(line, "(|||");
    if (!bar) return fail("EPSV_reply:%s", line), -1;
    int data_port = atoi(bar + 4);
    int fd = dial(data_port);
    if (fd < 0) return fail("data_connect:%s", strerror(errno)), -1;
    long got = -1;
    SSL *ssl = NULL;
    int code = command(c, line, sizeof line, "RETR f%03d.bin", i);
    if (code != 150 && code != 125) {
        fail("RETR:%s", line);
        goto out;
    }
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (!c->newest) c->newest = SSL_get1_session(c->ssl); /* read replies since: TLS 1.3 tickets are in */
    if (c->newest) SSL_set_session(ssl, c->newest);
    if (SSL_connect(ssl) != 1) {
        fail("data_handshake:%lu", ERR_get_error());
        goto out;
    }
    if (SSL_session_reused(ssl)) __atomic_add_fetch(&resumed, 1, __ATOMIC_RELAXED);
    char buf[16384];
    int r;
    got = 0;
    while ((r = SSL_read(ssl, buf, sizeof buf)) > 0) got += r;
    if (SSL_get_error(ssl, r) != SSL_ERROR_ZERO_RETURN) {
        fail("data_read:%d", SSL_get_error(ssl, r));
        got = -1;
        goto out;
    }
    SSL_shutdown(ssl);
    SSL_SESSION *fresh = SSL_get1_session(ssl); /* TLS 1.3 servers send new tickets on every connection */
    if (fresh && SSL_SESSION_is_resumable(fresh)) {
        SSL_SESSION_free(c->newest);
        c->newest = fresh;
    } else {
        SSL_SESSION_free(fresh);
    }
out:
    if (ssl) SSL_free(ssl);
    close(fd);
    if (code == 150 || code == 125) {
        if (reply(c, line, sizeof line) != 226) {
            fail("after_RETR:%s", line);
            return -1;
        }
    }
    if (got >= 0 && got != size) {
        fail("size:%ld", got);
        return -1;
    }
    return got;
}

static void *client(void *arg) {
    (void)arg;
    struct control c = {.fd = -1};
    int ok = login(&c) == 0;
    if (!ok) {
        pthread_mutex_lock(&lock);
        login_failed++;
        pthread_mutex_unlock(&lock);
    }
    pthread_barrier_wait(&logged_in);
    pthread_barrier_wait(&go);
    for (int i = 0; ok && i < files; i++) {
        double t0 = now_ms();
        long got = fetch(&c, i);
        double ms = now_ms() - t0;
        pthread_mutex_lock(&lock);
        if (got >= 0) {
            done_files++;
            bytes_total += got;
            latencies[latency_count++] = ms;
        } else {
            failed_files++;
        }
        pthread_mutex_unlock(&lock);
        if (got < 0) ok = 0; /* the session's state is unknown after a failure: stop this client */
    }
    if (c.ssl) {
        char line[512];
        command(&c, line, sizeof line, "QUIT");
        SSL_free(c.ssl);
    }
    SSL_SESSION_free(c.newest);
    if (c.fd >= 0) close(c.fd);
    return NULL;
}

/* one TLS session set-up, as a client starting a session does it; 0 when every reply was the expected one */
static int one_session(void) {
    struct control c = {.fd = -1};
    char line[512];
    int ok = -1;
    if ((c.fd = dial(port)) < 0) return fail("connect_failed:%s", strerror(errno)), -1;
    if (reply(&c, line, sizeof line) != 220) {
        fail("greeting:%s", line);
        goto out;
    }
    if (command(&c, line, sizeof line, "AUTH TLS") != 234) {
        fail("AUTH:%s", line);
        goto out;
    }
    c.ssl = SSL_new(ctx);
    SSL_set_fd(c.ssl, c.fd);
    if (SSL_connect(c.ssl) != 1) {
        fail("control_handshake:%lu", ERR_get_error());
        goto out;
    }
    if (command(&c, line, sizeof line, "PBSZ 0") != 200) {
        fail("PBSZ:%s", line);
        goto out;
    }
    if (command(&c, line, sizeof line, "PROT P") != 200) {
        fail("PROT:%s", line);
        goto out;
    }
    if (with_login) {
        int code = command(&c, line, sizeof line, "USER %s", user);
        if (code == 331) code = command(&c, line, sizeof line, "PASS %s", pass);
        if (code != 230) {
            fail("login:%s", line);
            goto out;
        }
        if (command(&c, line, sizeof line, "PWD") != 257) {
            fail("PWD:%s", line);
            goto out;
        }
    }
    if (command(&c, line, sizeof line, "QUIT") != 221) {
        fail("QUIT:%s", line);
        goto out;
    }
    ok = 0;
out:
    if (c.ssl) SSL_free(c.ssl);
    close(c.fd);
    return ok;
}

static void *session_loop(void *arg) {
    (void)arg;
    double warm_end = now_ms() + warmup_s * 1e3;
    while (now_ms() < warm_end) one_session();
    pthread_barrier_wait(&logged_in);
    pthread_barrier_wait(&go);
    double t;
    while ((t = now_ms()) < measure_end) {
        int r = one_session();
        double ms = now_ms() - t;
        pthread_mutex_lock(&lock);
        if (r == 0) {
            done_sessions++;
            if (latency_count < latency_cap) latencies[latency_count++] = ms;
        } else {
            failed_sessions++;
        }
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(double *p50, double *p99) {
    qsort(latencies, latency_count, sizeof *latencies, by_value);
    *p50 = latency_count ? latencies[latency_count / 2] : 0;
    *p99 = latency_count ? latencies[(long)(latency_count * 0.99)] : 0;
}

/* starts n threads, waits for them at the first barrier, times from the second to their end */
static double run_timed(void *(*body)(void *), int n, double *cpu) {
    pthread_barrier_init(&logged_in, NULL, n + 1);
    pthread_barrier_init(&go, NULL, n + 1);
    pthread_t *ts = calloc(n, sizeof *ts);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < n; i++) pthread_create(&ts[i], &attr, body, NULL);
    pthread_barrier_wait(&logged_in);
    printf("MEASURE_START\n");
    fflush(stdout);
    double cpu0 = cpu_seconds(), t0 = now_ms();
    measure_end = t0 + measure_s * 1e3;
    pthread_barrier_wait(&go);
    for (int i = 0; i < n; i++) pthread_join(ts[i], NULL);
    double wall = (now_ms() - t0) / 1e3;
    *cpu = cpu_seconds() - cpu0;
    printf("MEASURE_END\n");
    free(ts);
    return wall;
}

static void make_context(void) {
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, max_tls);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* the bench's self-signed certificate */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
}

static int files_main(int argc, char **argv) {
    if (argc != 8 && argc != 9) {
        fprintf(stderr, "usage: ftps-load files HOST PORT USER PASS DIR FILES CLIENTS SIZE [MAX_TLS: 1.2|1.3]\n");
        return 2;
    }
    host = argv[0];
    port = atoi(argv[1]);
    user = argv[2];
    pass = argv[3];
    dir = argv[4];
    files = atoi(argv[5]);
    clients = atoi(argv[6]);
    size = atoi(argv[7]);
    if (argc == 9 && strcmp(argv[8], "1.2") == 0) max_tls = TLS1_2_VERSION;
    latency_cap = (long)files * clients;
    latencies = calloc(latency_cap, sizeof *latencies);
    make_context();

    double cpu, wall = run_timed(client, clients, &cpu), p50, p99;
    percentiles(&p50, &p99);
    printf("RESULT files=%ld failed=%ld login_failed=%ld bytes=%ld wall_s=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f "
           "resumed=%ld client_cpu_s=%.3f first_error=%s\n",
           done_files, failed_files, login_failed, bytes_total, wall, done_files / wall, p50, p99, resumed, cpu,
           first_error[0] ? first_error : "-");
    return 0;
}

static int sessions_main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: ftps-load sessions HOST PORT USER PASS THREADS WARMUP_S SECONDS LOGIN(1|0)\n");
        return 2;
    }
    host = argv[0];
    port = atoi(argv[1]);
    user = argv[2];
    pass = argv[3];
    threads = atoi(argv[4]);
    warmup_s = atof(argv[5]);
    measure_s = atof(argv[6]);
    with_login = atoi(argv[7]);
    latency_cap = 4 * 1000 * 1000;
    latencies = calloc(latency_cap, sizeof *latencies);
    make_context();

    double cpu, wall = run_timed(session_loop, threads, &cpu), p50, p99;
    percentiles(&p50, &p99);
    printf("RESULT sessions=%ld failed=%ld wall_s=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f client_cpu_s=%.3f "
           "first_error=%s\n",
           done_sessions, failed_sessions, wall, done_sessions / wall, p50, p99, cpu,
           first_error[0] ? first_error : "-");
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "files") == 0) return files_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "sessions") == 0) return sessions_main(argc - 2, argv + 2);
    fprintf(stderr, "usage: ftps-load files|sessions ...\n");
    return 2;
}
