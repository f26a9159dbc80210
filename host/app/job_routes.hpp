#pragma once
// The jobs API: long operations started by plugin routes (which answer 202 with the job's
// href), their progress, cancellation and output file. Any logged-in user sees their own
// jobs; holders of core.jobs.all see and cancel everyone's. Another user's job is 404.
//   GET  /api/v1/jobs                 the caller's newest jobs (?all=1: everyone's, with core.jobs.all)
//   GET  /api/v1/jobs/{id}            state, done/total/percent, stage, result or error, output
//   POST /api/v1/jobs/{id}/cancel     202 (asked to stop; a queued job ends at once), 409 when finished
//   GET  /api/v1/jobs/{id}/output     the file a succeeded job wrote (attachment), 409 before

#include "app/host_route.hpp"
#include "services/jobs.hpp"

namespace tessera::host {

HostRoutes jobRoutes(JobRunner& jobs);

}  // namespace tessera::host
