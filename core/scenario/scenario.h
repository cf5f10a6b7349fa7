// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/limits.h"
#include "base/network_delay.h"
#include "client_options.h"
#include "expectations.h"
#include "mock/fault_profile.h"
#include "policy/client_policy.h"

#include <QByteArray>
#include <QJsonObject>
#include <QUrl>

namespace retrylab {

enum class KeyMode {
    None,         // no Idempotency-Key
    PerOperation, // one key per operation, reused by its retries (right)
    PerAttempt,   // a new key for every attempt (wrong: defeats the point; for demos)
};

// One of the policies a comparison runs side by side, with what is expected of it beyond
// what the scenario expects of every policy.
struct NamedPolicy {
    QString name;
    ClientPolicy policy;
    Expectations expectations;
    bool operator==(const NamedPolicy &) const = default;
};

// A run: what to call, how hard, with which policy, on which clock. Its JSON form is
// versioned; loading names the file, the field and the problem.
struct Scenario {
    static constexpr int kVersion = 1;

    QString name = QStringLiteral("Untitled");
    QString description;

    // Target: the built-in flaky server with a profile, or a URL.
    bool builtinServer = true;
    FaultProfile profile;
    QUrl url;
    // Hosts whose invalid TLS certificates the person explicitly accepts; attempts to them are
    // marked in the log. Empty: every certificate error fails the attempt.
    QStringList allowInvalidCertificates;

    // Request.
    QByteArray method = "GET";
    QString path = QStringLiteral("/");
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    KeyMode keys = KeyMode::None;

    // Load.
    int clients = 10;
    int operationsPerClient = 10;
    double arrivalRatePerSecond = 0;              // > 0: operations arrive at this rate instead
    Duration duration = std::chrono::seconds(10); // with an arrival rate
    Duration stagger{0}; // first operations spread over this window (0: all at once)
    int maxRecords = limits::kDefaultRecords; // the attempt log's cap; past it, counted as dropped

    ClientPolicy policy;
    ClientOptions client; // which HTTP stack, how it uses connections (real time only)
    bool sharedBreaker = false;
    bool sharedBudget = false;

    bool simulated = false;
    std::uint64_t seed = 1;

    // Comparison mode: up to kMaxCompared policies run side by side, each against its own
    // identically seeded server; empty for a single run.
    static constexpr int kMaxCompared = 4;
    QList<NamedPolicy> compare;

    // What a QA pipeline asserts about the run (headless exit code 1 when one fails).
    Expectations expectations;
    // The single run of compare[i]: this scenario with that policy and its expectations.
    Scenario variant(int i) const;

    // Simulated time only.
    NetworkDelay networkDelay = NetworkDelay::fixed(1.0); // each message, each way
    bool contention = false; // the optimistic-concurrency resource of the AWS jitter study

    bool operator==(const Scenario &) const = default;

    // Valid but probably not what was meant, given the load and the request together
    // ("POST retried without an idempotency key", "no jitter with 50 clients").
    FieldProblems advise() const;

    QJsonObject toJson() const;
    // Reads every section with its own reader (scenario_read.cpp).
    static std::optional<Scenario> fromJson(const QJsonObject &json, FieldProblems *problems);
    static std::optional<Scenario> load(const QString &fileName, QString *error);
    bool save(const QString &fileName, QString *error) const;
};

QString keyModeId(KeyMode m);
std::optional<KeyMode> keyModeFromId(const QString &id);

} // namespace retrylab
