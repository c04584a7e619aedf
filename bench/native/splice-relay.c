/*
 * Reference CONNECT relay for the egress proxy benchmark (bench/scripts/proxy-bench.sh): the zero-copy ceiling.
 * It answers every CONNECT with 200, dials 127.0.0.1 at the requested port, and moves bytes with splice(2) through
 * a 1 MiB kernel pipe per direction, one thread per direction; no policy, no logging, no limits. Nothing a real
 * relay does costs less CPU per byte, so "ours / this" says how far the proxy is from what any relay achieves on
 * the same machine in the same run. Loopback only; benchmark use only.
 *
 * Build: cc -O2 -pthread -o splice-relay splice-relay.c      Run: splice-relay LISTEN_PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct direction { int from, to; };

static void *pump(void *arg) {
    struct direction *d = arg;
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        return NULL;
    }
    fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
    for (;;) {
        ssize_t in = splice(d->from, NULL, pipefd[1], NULL, 1 << 20, SPLICE_F_MOVE);
        if (in <= 0) {
            break;
        }
        while (in > 0) {
            ssize_t out = splice(pipefd[0], NULL, d->to, NULL, (size_t) in, SPLICE_F_MOVE);
            if (out <= 0) {
                goto done;
            }
            in -= out;
        }
    }
done:
    shutdown(d->to, SHUT_WR);
    close(pipefd[0]);
    close(pipefd[1]);
    return NULL;
}

static int dial_loopback(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof sa) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static void *serve(void *arg) {
    int client = (int) (long) arg;
    char head[4096];
    size_t len = 0;
    /* One byte at a time so nothing after the head (the ClientHello) is consumed here. */
    while (len < sizeof head - 1) {
        if (read(client, head + len, 1) != 1) {
            close(client);
            return NULL;
        }
        head[++len] = 0;
        if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0) {
            break;
        }
    }
    char *colon = strchr(head, ' ') ? strchr(strchr(head, ' '), ':') : NULL;
    int port = colon ? atoi(colon + 1) : 0;
    int upstream = (strncmp(head, "CONNECT ", 8) == 0 && port > 0) ? dial_loopback(port) : -1;
    if (upstream < 0) {
        const char *bad = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
        (void) !write(client, bad, strlen(bad));
        close(client);
        return NULL;
    }
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const char *ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    (void) !write(client, ok, strlen(ok));
    struct direction up = {client, upstream}, down = {upstream, client};
    pthread_t t;
    pthread_create(&t, NULL, pump, &up);
    pump(&down);
    pthread_join(t, NULL);
    close(client);
    close(upstream);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: splice-relay LISTEN_PORT\n");
        return 2;
    }
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(server, (struct sockaddr *) &sa, sizeof sa) != 0 || listen(server, 128) != 0) {
        perror("splice-relay: listen");
        return 1;
    }
    for (;;) {
        int client = accept(server, NULL, NULL);
        if (client < 0) {
            continue;
        }
        pthread_t t;
        pthread_create(&t, NULL, serve, (void *) (long) client);
        pthread_detach(t);
    }
}
