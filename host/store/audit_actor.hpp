#pragma once
// Who is writing, for the audit log: set by the app around each request (and by the CLI),
// read by the store when it records a write. Thread-local: a request runs on one thread.

#include <QString>

namespace tessera::host {

struct AuditActor {
    qint64 userId = 0;  // 0: the system (migrations, CLI without a user)
    QString username;   // "system" when userId is 0
    QString pluginId;   // the plugin whose route is running; "core" for the host's own routes
    QString address;    // client address, if any
};

/// The actor of the calling thread, or nullptr outside any request.
const AuditActor* currentAuditActor();

/// Makes `actor` current on this thread for its lifetime (restores the previous one after).
class AuditActorScope {
public:
    explicit AuditActorScope(const AuditActor& actor);
    ~AuditActorScope();
    AuditActorScope(const AuditActorScope&) = delete;
    AuditActorScope& operator=(const AuditActorScope&) = delete;

private:
    const AuditActor* previous_;
};

}  // namespace tessera::host
