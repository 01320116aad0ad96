/* A power cut, emulated for the durability test (tests/reliability/test_crash_durability.py).
 *
 * Loaded with LD_PRELOAD into the writing child. After each successful fsync()/fdatasync() of a SQLite
 * write-ahead log (a file whose name ends in "-wal"), it records the log's size at that moment in
 * "<wal>.synced": what a power cut cannot take away. Killing the child then truncating the log to that
 * size is what the disk would hold after the power went off at the moment of the kill (writes not yet
 * synced are lost; the main database file is only written by a checkpoint, which the test keeps away).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void record(int fd) {
    char link[64], path[4096 - 16], out[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 4) return;
    path[n] = 0;
    if (strcmp(path + n - 4, "-wal") != 0) return;
    struct stat st;
    if (fstat(fd, &st) != 0) return;
    snprintf(out, sizeof out, "%s.synced", path);
    int o = open(out, O_WRONLY | O_CREAT, 0644);
    if (o < 0) return;
    char num[32];
    int len = snprintf(num, sizeof num, "%020lld\n", (long long)st.st_size);
    pwrite(o, num, (size_t)len, 0);
    close(o);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int rc = real(fd);
    if (rc == 0) record(fd);
    return rc;
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int rc = real(fd);
    if (rc == 0) record(fd);
    return rc;
}
