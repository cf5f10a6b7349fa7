// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: bytes as a fault profile (a file, or the body of PUT /__admin/profile). A profile
// that loads saves to JSON that loads again to the same profile, and the server can decide
// with it; one that does not load says what is wrong and where.
#include "mock/fault_decider.h"
#include "mock/fault_profile.h"

#include <QJsonDocument>
#include <QTimeZone>

#include <cstdint>
#include <cstdlib>

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0;
    FieldProblems problems;
    const auto profile = FaultProfile::fromJson(doc.object(), &problems);
    if (!profile) {
        if (problems.isEmpty())
            std::abort();
        return 0;
    }
    FieldProblems again;
    const auto back = FaultProfile::fromJson(profile->toJson(), &again);
    if (!back || !(*back == *profile))
        std::abort();
    // A few decisions with it: weights, latencies and faults must not crash or overflow.
    FaultDecider decider(*profile, 7);
    const QDateTime wall = QDateTime::fromSecsSinceEpoch(1'700'000'000, QTimeZone::utc());
    for (int i = 0; i < 8; ++i) {
        const Duration now = std::chrono::milliseconds(i * 250);
        const FaultDecision d = decider.decide(
            {QStringLiteral("POST"), QStringLiteral("/payments"), QString::number(i % 3), {}}, now,
            wall.addMSecs(i * 250));
        if (d.admitted)
            decider.finished();
    }
    return 0;
}
