// SPDX-License-Identifier: GPL-3.0-or-later
#include "expectations.h"

#include "json/json_reader.h"

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
QString num(double v)
{
    return QString::number(v, 'g', 6);
}
} // namespace

bool Expectations::isEmpty() const
{
    return *this == Expectations{};
}

Expectations Expectations::overriddenBy(const Expectations &specific) const
{
    Expectations e = *this;
    const auto take = [](auto &mine, const auto &theirs) {
        if (theirs)
            mine = theirs;
    };
    take(e.maxDuplicates, specific.maxDuplicates);
    take(e.minDuplicates, specific.minDuplicates);
    take(e.minCompliancePercent, specific.minCompliancePercent);
    take(e.minSuccessPercent, specific.minSuccessPercent);
    take(e.maxP99Ms, specific.maxP99Ms);
    take(e.maxAmplification, specific.maxAmplification);
    take(e.maxPeakServerPer100ms, specific.maxPeakServerPer100ms);
    return e;
}

QList<Expectations::Result> Expectations::check(const RunSummary &s) const
{
    QList<Result> out;
    const auto atMost = [&](const QString &name, const auto &bound, double measured,
                            bool measurable = true) {
        if (!bound)
            return;
        out.append({name, u"≤ "_s + num(double(*bound)), measurable ? num(measured) : u"unknown"_s,
                    measurable && measured <= double(*bound), measurable});
    };
    const auto atLeast = [&](const QString &name, const auto &bound, double measured,
                             bool measurable = true) {
        if (!bound)
            return;
        out.append({name, u"≥ "_s + num(double(*bound)), measurable ? num(measured) : u"unknown"_s,
                    measurable && measured >= double(*bound), measurable});
    };
    atMost(u"maxDuplicates"_s, maxDuplicates, double(s.duplicates), s.duplicates >= 0);
    atLeast(u"minDuplicates"_s, minDuplicates, double(s.duplicates), s.duplicates >= 0);
    // Compliance as the stricter of the two judges: the client's log and the server's journal.
    const double compliance = s.serverCompliancePercent >= 0
                                  ? std::min(s.compliancePercent(), s.serverCompliancePercent)
                                  : s.compliancePercent();
    atLeast(u"minCompliancePercent"_s, minCompliancePercent, compliance);
    atLeast(u"minSuccessPercent"_s, minSuccessPercent, 100.0 * s.successRate());
    atMost(u"maxP99Ms"_s, maxP99Ms, s.p99Ms);
    atMost(u"maxAmplification"_s, maxAmplification, s.amplification);
    atMost(u"maxPeakServerPer100ms"_s, maxPeakServerPer100ms, double(s.peakServerPer100ms),
           s.peakServerPer100ms >= 0);
    return out;
}

QJsonObject Expectations::toJson() const
{
    QJsonObject o;
    const auto put = [&](const QString &key, const auto &v) {
        if (v)
            o.insert(key, double(*v));
    };
    put(u"maxDuplicates"_s, maxDuplicates);
    put(u"minDuplicates"_s, minDuplicates);
    put(u"minCompliancePercent"_s, minCompliancePercent);
    put(u"minSuccessPercent"_s, minSuccessPercent);
    put(u"maxP99Ms"_s, maxP99Ms);
    put(u"maxAmplification"_s, maxAmplification);
    put(u"maxPeakServerPer100ms"_s, maxPeakServerPer100ms);
    return o;
}

std::optional<Expectations> Expectations::fromJson(const QJsonObject &json, FieldProblems *problems)
{
    FieldProblems local;
    FieldProblems &out = problems ? *problems : local;
    const auto before = out.size();
    Expectations e;
    const JsonReader r(json, {}, &out);
    r.rejectUnknown({u"maxDuplicates"_s, u"minDuplicates"_s, u"minCompliancePercent"_s,
                     u"minSuccessPercent"_s, u"maxP99Ms"_s, u"maxAmplification"_s,
                     u"maxPeakServerPer100ms"_s});
    const auto count = [&](const QString &key, std::optional<qint64> &v) {
        if (!r.has(key))
            return;
        int n = 0;
        const auto problemsBefore = out.size();
        r.read(key, n, 0, 1'000'000'000);
        if (out.size() == problemsBefore)
            v = n;
    };
    const auto real = [&](const QString &key, std::optional<double> &v, double lo, double hi) {
        if (!r.has(key))
            return;
        double d = 0;
        const auto problemsBefore = out.size();
        r.read(key, d, lo, hi);
        if (out.size() == problemsBefore)
            v = d;
    };
    count(u"maxDuplicates"_s, e.maxDuplicates);
    count(u"minDuplicates"_s, e.minDuplicates);
    real(u"minCompliancePercent"_s, e.minCompliancePercent, 0, 100);
    real(u"minSuccessPercent"_s, e.minSuccessPercent, 0, 100);
    real(u"maxP99Ms"_s, e.maxP99Ms, 0, 1e9);
    real(u"maxAmplification"_s, e.maxAmplification, 1, 1e6);
    count(u"maxPeakServerPer100ms"_s, e.maxPeakServerPer100ms);
    if (out.size() != before)
        return std::nullopt;
    return e;
}

} // namespace retrylab
