// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace retrylab {

// One wait a client took on its own (not one a Retry-After asked for): before retry `retry`
// (1: between the first attempt and the second) of operation `operation`.
struct WaitSample {
    int retry = 1;
    double ms = 0;
    int operation = 0; // any number that tells the client's operations apart
};

// The waits before one retry number, summed up.
struct WaitStats {
    int retry = 1;
    int count = 0;
    double medianMs = 0, minMs = 0, maxMs = 0;
};

// What the report card infers of a client's backoff (core/mock/README.md, "The report card").
struct InferredBackoff {
    QString family = QStringLiteral("none"); // none | constant | linear | exponential |
                                             // exponential-jitter | decorrelated
    double baseMs = 0;                       // the wait before the first retry the fit implies
    double multiplier = 1;                   // growth per retry (exponential), else 1
    double stepMs = 0;                       // growth per retry (linear)
    std::optional<double> capMs;             // a ceiling the waits reached and stayed at
    double confidence = 0;                   // 0..1
    bool jittered = false;
    int samples = 0;
    int immediate = 0; // retries made at once (all under 50 ms) among ones that wait: not fitted
    QList<WaitStats> waits;

    QJsonObject toJson() const;
};

// Infers the backoff family and its parameters from a client's own waits: the median wait per
// retry number is fitted as a constant, a line and an exponential (least squares on the
// logarithm); the spread of the waits for one retry number says whether they are jittered.
InferredBackoff inferBackoff(const QList<WaitSample> &samples);

} // namespace retrylab
