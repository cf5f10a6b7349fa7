// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <chrono>
#include <cstddef>

// Every size limit of Retry Lab in one place, each with the reason for its value; the table
// in core/README.md ("Limits") says the same for people. Readers refuse a value past a limit
// with an error that names the field; the engine, the log and the server never hold more.
namespace retrylab::limits {

// --- A scenario's load (scenario.cpp) ---

// load.clients. Each client holds its own random source, circuit breaker and retry budget,
// and in real time a connection (a file descriptor, two against the built-in server).
inline constexpr int kMaxClients = 100'000;
// load.operationsPerClient. Operations stream: a client starts its next one when its last
// has ended, so only the attempt log grows with them, and it has its own cap below.
inline constexpr int kMaxOperationsPerClient = 100'000'000;
// load.arrivalRatePerSecond (open loop).
inline constexpr double kMaxArrivalRatePerSecond = 100'000;
// load.maxRecords: the attempt log's cap, past which records are counted as dropped. A record
// is about 100 bytes, plus about 100 bytes per distinct idempotency key: ~2 GB at the limit.
inline constexpr int kDefaultRecords = 10'000'000;
inline constexpr int kMaxRecords = 20'000'000;

// --- A scenario's request (scenario.cpp) ---

// request.headers: how many, and the bytes of them all ("Name: value" lines). Servers
// commonly refuse a request head over 8 to 16 KiB; this leaves room for the headers Retry Lab
// adds.
inline constexpr int kMaxRequestHeaders = 100;
inline constexpr int kMaxRequestHeaderBytes = 12 * 1024;
// request.body, sent with every attempt.
inline constexpr int kMaxRequestBodyBytes = 1024 * 1024;

// --- What the client keeps of a response ---

// The attempt log keeps the response headers of the first records only: a typed URL's
// headers (dates, request ids) differ on every response.
inline constexpr std::size_t kResponseHeadersKept = 200'000;
// The request heads as written (each differs: X-Attempt, keys) and the first bytes of the
// bodies, for the first records: what a person probing an endpoint reads in the attempt's
// detail, bounded so a long run's log stays small (1,000 × 4 KiB at most for bodies).
inline constexpr std::size_t kRequestHeadsKept = 10'000;
inline constexpr std::size_t kResponseBodiesKept = 1'000;
inline constexpr qsizetype kResponseBodyShownBytes = 4 * 1024;

// --- HTTP messages on the wire, client and server alike (http/wire/, wire::Limits) ---

// A message head: the start line and the fields. Servers commonly refuse 8 to 16 KiB.
inline constexpr int kHeadBytes = 16 * 1024;
inline constexpr int kHeaderFields = 100;
// Of a body, this much is kept in memory; the rest is read and counted, never held.
inline constexpr qint64 kBodyKeptBytes = 1024 * 1024;

// --- The built-in server (a fault profile's "limits", fault_profile.cpp) ---

// limits.maxHeaderBytes: a request head; default, and the range a profile may set.
inline constexpr int kServerHeaderBytes = kHeadBytes;
inline constexpr int kMinServerHeaderBytes = 256;
inline constexpr int kMaxServerHeaderBytes = 1024 * 1024;
// limits.maxBodyBytes: a request body; default and largest.
inline constexpr qint64 kServerBodyBytes = 1024 * 1024;
inline constexpr qint64 kMaxServerBodyBytes = 64 * 1024 * 1024;
// limits.journalCapacity: the journal is a ring of this many entries (about 300 bytes each).
inline constexpr int kJournalCapacity = 100'000;
inline constexpr int kMaxJournalCapacity = 1'000'000;
// Client chains (client_chains.h), about 280 bytes each: at most this many are followed, and
// an operation the client names (X-Operation-Id, --chain-header) is forgotten after this much
// quiet, so that a client naming each operation does not grow the server hour after hour.
inline constexpr int kServerChains = 200'000;
inline constexpr std::chrono::minutes kNamedChainQuiet{10};
// Retry-After waits that ended this long ago are no longer judged (request_journal.h): an
// operation that gave up never comes back to be judged.
inline constexpr std::chrono::minutes kWaitJudgedWithin{10};

} // namespace retrylab::limits
