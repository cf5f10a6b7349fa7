// SPDX-License-Identifier: GPL-3.0-or-later
#include "backoff_inference.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

constexpr double kImmediateMs = 50;   // waits all this short (a reconnect) are no backoff
constexpr double kJitterSpread = 0.2; // waits for one retry number that vary more are jittered
constexpr double kFitGood = 0.12;     // mean relative error of a fit that describes the waits

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Point {
    double n = 0, ms = 0;
};

struct Fit {
    double a = 0, b = 0; // y = a + b n
    double error = 1e9;  // mean relative error of the waits it predicts
};

// Weighted by the wait: a client's own overhead (a reconnect, a process waking up) adds a few
// milliseconds to every wait, which matters to the short ones and not to the long ones.
Fit leastSquares(const QList<Point> &p, bool logarithm)
{
    Fit f;
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto &q : p) {
        const double w = q.ms;
        const double y = logarithm ? std::log(q.ms) : q.ms;
        sw += w;
        sx += w * q.n;
        sy += w * y;
        sxx += w * q.n * q.n;
        sxy += w * q.n * y;
    }
    const double d = sw * sxx - sx * sx;
    f.b = d > 0 ? (sw * sxy - sx * sy) / d : 0;
    f.a = (sy - f.b * sx) / sw;
    double error = 0;
    for (const auto &q : p) {
        const double y = f.a + f.b * q.n;
        error += std::abs((logarithm ? std::exp(y) : y) - q.ms) / q.ms;
    }
    f.error = error / double(p.size());
    return f;
}

// Points before a plateau at the top: growth that hit a ceiling and stayed there.
std::optional<double> findCap(QList<Point> &p)
{
    if (p.size() < 3)
        return std::nullopt;
    const double top = p.back().ms;
    qsizetype first = p.size() - 1;
    while (first > 0 && std::abs(p[first - 1].ms - top) <= 0.08 * top)
        --first;
    if (first == p.size() - 1 || first < 2)
        return std::nullopt;
    p = p.first(first); // the fit sees the growth before the ceiling
    return top;
}

// Decorrelated jitter (the AWS Architecture Blog's: min(cap, random(base, last × 3))) never
// waits less than its base, so its first waits stay within a factor of three of each other,
// and never more than three times its last wait. Full jitter draws its first waits from 0 and
// often triples from one retry to the next.
bool looksDecorrelated(const QList<WaitSample> &samples, const WaitStats &first)
{
    if (first.retry != 1 || first.count < 3 || first.minMs < 0.25 * first.maxMs)
        return false;
    QHash<int, QMap<int, double>> byOperation;
    for (const auto &s : samples)
        byOperation[s.operation].insert(s.retry, s.ms);
    for (const auto &waits : std::as_const(byOperation)) {
        for (auto it = waits.cbegin(), next = std::next(it); next != waits.cend(); it = next++) {
            if (next.key() == it.key() + 1 &&
                next.value() > 3.3 * std::max(it.value(), first.minMs) + kImmediateMs)
                return false;
        }
    }
    return true;
}

// The waits grouped by retry number: the curve a rule is fitted to.
struct Curve {
    QList<Point> points; // retry number, median wait
    bool spread = false; // one retry number's waits vary: jitter
    double longestMs = 0;
};

// Fills r.waits and r.immediate, and gives the curve of the waits that are backoff.
Curve summariseWaits(const QList<WaitSample> &samples, InferredBackoff &r)
{
    Curve c;
    QMap<int, QList<double>> byRetry;
    for (const auto &s : samples) {
        byRetry[s.retry] << s.ms;
        c.longestMs = std::max(c.longestMs, s.ms);
    }
    for (auto it = byRetry.cbegin(); it != byRetry.cend(); ++it) {
        const QList<double> &w = it.value();
        const double m = median(w);
        r.waits << WaitStats{it.key(), static_cast<int>(w.size()), m,
                             *std::min_element(w.begin(), w.end()),
                             *std::max_element(w.begin(), w.end())};
        const auto &ws = r.waits.back();
        if (w.size() >= 3 && m >= kImmediateMs && (ws.maxMs - ws.minMs) / m > kJitterSpread)
            c.spread = true;
        // Retries made at once among ones that wait (urllib3's first) are no point of the
        // curve: counted apart.
        if (ws.maxMs >= kImmediateMs || c.longestMs < 2 * kImmediateMs)
            c.points << Point{double(it.key()), std::max(m, 1.0)};
        else
            r.immediate += static_cast<int>(w.size());
    }
    return c;
}

// Picks the family of rule (constant, exponential, linear) that describes the points best and
// its numbers; gives the fit's mean relative error.
double fitFamily(const QList<Point> &points, InferredBackoff &r)
{
    const Fit line = leastSquares(points, false);
    const Fit exp = leastSquares(points, true);
    double mean = 0;
    for (const auto &p : points)
        mean += p.ms / points.size();
    double constantError = 0;
    for (const auto &p : points)
        constantError += std::abs(p.ms - mean) / p.ms / points.size();
    const double growth = std::exp(exp.b);
    double error = constantError;
    if (points.size() == 1 || constantError < kFitGood || growth < 1.15) {
        r.family = u"constant"_s;
        r.baseMs = mean;
    } else if (exp.error <= line.error * 1.1 || points.size() == 2) {
        r.family = u"exponential"_s;
        r.multiplier = growth;
        r.baseMs = std::exp(exp.a + exp.b); // at retry 1
        error = exp.error;
    } else {
        r.family = u"linear"_s;
        r.stepMs = line.b;
        r.baseMs = line.a + line.b;
        error = line.error;
    }
    return error;
}

// Waits that a rule does not explain: decorrelated jitter, or exponential jitter whose bound
// grows as the waits' upper envelope does.
void describeJitter(const QList<WaitSample> &samples, InferredBackoff &r)
{
    r.family = r.family == u"constant"_s                     ? u"constant"_s
               : looksDecorrelated(samples, r.waits.front()) ? u"decorrelated"_s
                                                             : u"exponential-jitter"_s;
    if (r.family == u"decorrelated"_s) {
        r.baseMs = r.waits.front().minMs; // its floor
        r.multiplier = 3;                 // its rule's
    } else if (r.family == u"exponential-jitter"_s) {
        // The bound grows as the waits' upper envelope does: the largest of k draws from
        // [0, bound] is bound × k/(k+1) on average.
        QList<Point> top;
        for (const auto &w : r.waits)
            if (w.maxMs >= kImmediateMs)
                top << Point{double(w.retry), w.maxMs * (w.count + 1) / w.count};
        if (top.size() >= 2) {
            const Fit envelope = leastSquares(top, true);
            r.multiplier = std::exp(envelope.b);
            r.baseMs = std::exp(envelope.a + envelope.b);
        }
    }
}

} // namespace

QJsonObject InferredBackoff::toJson() const
{
    QJsonObject o{{u"family"_s, family},
                  {u"baseMs"_s, std::round(baseMs)},
                  {u"multiplier"_s, std::round(multiplier * 100) / 100},
                  {u"capMs"_s, capMs ? QJsonValue(std::round(*capMs)) : QJsonValue()},
                  {u"confidence"_s, std::round(confidence * 100) / 100},
                  {u"jittered"_s, jittered},
                  {u"samples"_s, samples}};
    if (family == u"linear"_s)
        o.insert(u"stepMs"_s, std::round(stepMs));
    if (immediate > 0)
        o.insert(u"immediateRetries"_s, immediate);
    return o;
}

InferredBackoff inferBackoff(const QList<WaitSample> &samples)
{
    InferredBackoff r;
    r.samples = static_cast<int>(samples.size());
    Curve curve = summariseWaits(samples, r);
    QList<Point> &points = curve.points;
    if (samples.isEmpty() || curve.longestMs < kImmediateMs || points.isEmpty()) {
        r.confidence = samples.isEmpty() ? 0 : std::min(1.0, samples.size() / 3.0);
        return r; // "none": no waits, or only immediate ones
    }
    r.capMs = findCap(points);
    const double error = fitFamily(points, r);
    // Waits that a deterministic rule cannot explain, or that vary for one retry number.
    r.jittered = curve.spread || (points.size() >= 3 && error > 0.25);
    if (r.jittered)
        describeJitter(samples, r);
    const double fit = std::clamp(1.0 - 2.0 * std::min(error, 0.5), 0.0, 1.0);
    const double amount =
        std::min(1.0, double(points.size()) / 4.0) * std::min(1.0, double(samples.size()) / 4.0);
    r.confidence = r.jittered ? std::min(1.0, double(samples.size()) / 12.0) * 0.9
                              : std::max(0.1, fit * amount);
    return r;
}

} // namespace retrylab
