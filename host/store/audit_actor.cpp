#include "store/audit_actor.hpp"

#include <deque>

namespace tessera::host {

namespace {
// Copies, innermost last: a scope may be given a temporary (AuditActorScope s(AuditActor{...})),
// so it must not keep a pointer to the caller's object. Scopes nest strictly on one thread;
// a deque keeps the outer copies in place while inner ones come and go.
thread_local std::deque<AuditActor> actors;
}  // namespace

const AuditActor* currentAuditActor() { return actors.empty() ? nullptr : &actors.back(); }

AuditActorScope::AuditActorScope(const AuditActor& actor) : previous_(currentAuditActor()) { actors.push_back(actor); }

AuditActorScope::~AuditActorScope() { actors.pop_back(); }

}  // namespace tessera::host
