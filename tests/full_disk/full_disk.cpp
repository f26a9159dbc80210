#include "full_disk.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <atomic>
#include <climits>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

std::atomic<bool> armed{false};
std::atomic<int> refusedWrites{0};
std::mutex folderMutex;
std::string folder;  // with a trailing slash
int failure = ENOSPC;

// Where `fd` is open, by the kernel's own account.
bool underFolder(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[PATH_MAX];
    const ssize_t n = ::readlink(link, target, sizeof target);
    if (n <= 0) return false;
    std::lock_guard lock(folderMutex);
    return std::string_view(target, static_cast<std::size_t>(n)).starts_with(folder);
}

}  // namespace

// Replaces the C library's write() for this executable and the libraries it loads.
extern "C" ssize_t write(int fd, const void* data, size_t n) {
    if (armed.load(std::memory_order_acquire) && n > 0 && underFolder(fd)) {
        ++refusedWrites;
        errno = failure;
        return -1;
    }
    return ::syscall(SYS_write, fd, data, n);
}

// SQLite writes its database and WAL with pwrite(): those fail the same way.
extern "C" ssize_t pwrite64(int fd, const void* data, size_t n, off64_t offset) {
    if (armed.load(std::memory_order_acquire) && n > 0 && underFolder(fd)) {
        ++refusedWrites;
        errno = failure;
        return -1;
    }
    return ::syscall(SYS_pwrite64, fd, data, n, offset);
}

extern "C" ssize_t pwrite(int fd, const void* data, size_t n, off_t offset) { return pwrite64(fd, data, n, offset); }

namespace tessera::test {

FullDisk::FullDisk(const QString& dir, int errnum) {
    {
        std::lock_guard lock(folderMutex);
        // As /proc/self/fd tells it: absolute, links resolved (the folder is made if need be).
        QDir().mkpath(dir);
        folder = QFile::encodeName(QFileInfo(dir).canonicalFilePath()).toStdString();
        if (!folder.ends_with('/')) folder += '/';
        failure = errnum;
    }
    armed = true;
}

FullDisk::~FullDisk() { armed = false; }

int FullDisk::refused() { return refusedWrites.load(); }

}  // namespace tessera::test
