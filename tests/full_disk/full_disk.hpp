#pragma once
// A full disk for tests, without mounting one. This test executable replaces the C library's
// write() and pwrite() (SQLite's): while a FullDisk is alive, a write to a file under its folder fails with ENOSPC
// (or EDQUOT), as the kernel's does when the disk or quota is full; every other write goes
// straight to the system call. The host's own writers, Beast's and Qt's all call write(), so
// the code under test is the code that runs in production. (stdio's fwrite does not: the
// .xlsx writer meets a full disk through /dev/full in table_files_test.cpp.)

#include <QString>

#include <cerrno>

namespace tessera::test {

/// Makes writes under `folder` fail with `errnum` until it is destroyed (one at a time).
class FullDisk {
public:
    explicit FullDisk(const QString& folder, int errnum = ENOSPC);
    ~FullDisk();
    FullDisk(const FullDisk&) = delete;
    FullDisk& operator=(const FullDisk&) = delete;

    /// How many writes have been refused so far: a test checks the disk was met at all.
    static int refused();
};

}  // namespace tessera::test
