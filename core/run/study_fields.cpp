// SPDX-License-Identifier: GPL-3.0-or-later
#include "study_fields.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

bool whole(double v, double lo, double hi)
{
    return v >= lo && v <= hi && v == std::floor(v);
}

// The network delay's centre moved to `ms`, its spread kept: the fixed delay, the normal's
// mean, the lognormal's median, the uniform's middle, the samples scaled to that mean.
NetworkDelay centredAt(const NetworkDelay &d, double ms)
{
    switch (d.kind()) {
    case NetworkDelay::Kind::Fixed:
        return NetworkDelay::fixed(ms);
    case NetworkDelay::Kind::Normal:
        return NetworkDelay::normal(ms, d.b());
    case NetworkDelay::Kind::Lognormal:
        return NetworkDelay::lognormal(ms, d.b());
    case NetworkDelay::Kind::Uniform: {
        const double half = (d.b() - d.a()) / 2.0;
        return NetworkDelay::uniform(std::max(0.0, ms - half), ms + half);
    }
    case NetworkDelay::Kind::Samples: {
        const double mean = d.meanMs();
        std::vector<double> scaled = d.sampleList();
        for (double &v : scaled)
            v = mean > 0 ? v * ms / mean : ms;
        return NetworkDelay::samples(std::move(scaled));
    }
    }
    return NetworkDelay::fixed(ms);
}

// A failure rate: writes (and every other request) answer 503 with this probability.
void setFailureRate(Scenario &s, double rate)
{
    for (RouteProfile &r : s.profile.routes)
        r.statuses = {{200, 1.0 - rate}, {503, rate}};
}

QStringList fieldIds()
{
    QStringList ids;
    for (const auto &f : studyFields())
        ids << f.id;
    return ids;
}

bool isStudyField(const QString &field)
{
    return fieldIds().contains(field);
}

} // namespace

QList<StudyField> studyFields()
{
    return {{u"clients"_s, u"Clients"_s},
            {u"baseMs"_s, u"Base delay (ms)"_s},
            {u"capMs"_s, u"Cap (ms)"_s},
            {u"multiplier"_s, u"Multiplier"_s},
            {u"firstRetryExponent"_s, u"First retry exponent"_s},
            {u"maxAttempts"_s, u"Max attempts"_s},
            {u"networkDelayMs"_s, u"Network delay, centre (ms)"_s},
            {u"serviceMs"_s, u"Server service time (ms)"_s},
            {u"capacity"_s, u"Server capacity (requests at once)"_s},
            {u"failureRate"_s, u"Failure rate (503)"_s}};
}

QString applyStudyField(Scenario &s, const QString &field, double v)
{
    auto &backoff = s.policy.retry.backoff;
    const double hour = 3600e3;
    if (field == u"clients"_s && whole(v, 1, limits::kMaxClients))
        s.clients = int(v);
    else if (field == u"baseMs"_s && v >= 0 && v <= hour)
        backoff.base = fromMs(v);
    else if (field == u"capMs"_s && v >= 0 && v <= hour)
        backoff.cap = fromMs(v);
    else if (field == u"multiplier"_s && v >= 1 && v <= 100)
        backoff.multiplier = v;
    else if (field == u"firstRetryExponent"_s && whole(v, 0, Backoff::kMaxFirstRetryExponent))
        backoff.firstRetryExponent = int(v);
    else if (field == u"maxAttempts"_s && whole(v, 1, 1000))
        s.policy.retry.maxAttempts = int(v);
    else if (field == u"networkDelayMs"_s && v >= 0 && v <= hour)
        s.networkDelay = centredAt(s.networkDelay, v);
    else if (field == u"serviceMs"_s && v >= 0 && v <= hour)
        for (RouteProfile &r : s.profile.routes)
            r.latency = LatencySpec{u"fixed"_s, v};
    else if (field == u"capacity"_s && whole(v, 0, 1'000'000))
        s.profile.capacity.maxConcurrent = int(v);
    else if (field == u"failureRate"_s && v >= 0 && v < 1)
        setFailureRate(s, v);
    else if (!isStudyField(field))
        return u"'%1' is not a field a study can sweep (one of: %2)"_s.arg(
            field, fieldIds().join(u", "_s));
    else
        return u"%1 cannot be %2"_s.arg(field, QString::number(v));
    return {};
}

std::optional<QList<double>> parseStudyValues(const QString &text, QString *error)
{
    QList<double> values;
    for (const QString &raw : text.split(u',', Qt::SkipEmptyParts)) {
        const QString part = raw.trimmed();
        bool ok = false;
        if (const auto dots = part.indexOf(u".."_s); dots > 0) {
            // "from..to/step"
            const auto slash = part.indexOf(u'/');
            bool a = false, b = false, c = slash > dots;
            const double from = part.left(dots).toDouble(&a);
            const double to = part.mid(dots + 2, slash > 0 ? slash - dots - 2 : -1).toDouble(&b);
            const double step = c ? part.mid(slash + 1).toDouble(&c) : 0;
            ok = a && b && c && step > 0 && to >= from && (to - from) / step < 10000;
            for (int i = 0; ok && from + i * step <= to + step * 1e-9; ++i)
                values << from + i * step;
        } else {
            values << part.toDouble(&ok);
        }
        if (!ok) {
            if (error)
                *error = u"'%1' is not a number or a range like 10..190/10"_s.arg(part);
            return std::nullopt;
        }
    }
    if (values.isEmpty()) {
        if (error)
            *error = u"no values given"_s;
        return std::nullopt;
    }
    return values;
}

namespace {

// Puts one strategy into a cell's scenario: a backoff kind, or a preset's policy.
QString applyStrategy(Scenario &s, const QString &strategy)
{
    if (strategy.startsWith(u"preset:"_s)) {
        const auto preset = findPreset(strategy.mid(7));
        if (!preset)
            return u"'%1' is not a preset"_s.arg(strategy.mid(7));
        s.policy = preset->policy;
        return {};
    }
    const auto kind = Backoff::kindFromId(strategy);
    if (!kind)
        return u"'%1' is not a strategy (%2) or preset:NAME"_s.arg(strategy,
                                                                   Backoff::ids().join(u", "_s));
    s.policy.retry.backoff.kind = *kind;
    return {};
}

} // namespace

std::optional<QList<StudyCellSpec>> studyCells(const Scenario &base, const QString &field,
                                               const QList<double> &values,
                                               const QStringList &strategies, QString *error)
{
    QList<StudyCellSpec> cells;
    for (const double value : values) {
        for (const QString &strategy : strategies) {
            StudyCellSpec c{field, value, strategy, base};
            c.scenario.contention = true;
            c.scenario.operationsPerClient = 1;
            QString problem = applyStrategy(c.scenario, strategy);
            if (problem.isEmpty())
                problem = applyStudyField(c.scenario, field, value);
            if (!problem.isEmpty()) {
                if (error)
                    *error = problem;
                return std::nullopt;
            }
            cells << c;
        }
    }
    return cells;
}

QStringList awsStrategies()
{
    return {u"none"_s, u"exponential"_s, u"full-jitter"_s, u"equal-jitter"_s,
            u"decorrelated-jitter"_s};
}

} // namespace retrylab
