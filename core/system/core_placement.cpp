// SPDX-License-Identifier: GPL-3.0-or-later
#include "core_placement.h"

#include <QStringList>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QString coresText(const QList<int> &cores)
{
    QStringList numbers;
    for (int c : cores)
        numbers << QString::number(c);
    return (cores.size() == 1 ? u"core "_s : u"cores "_s) + numbers.join(u", "_s);
}

} // namespace

QList<int> CorePlacement::allowedCores()
{
    QList<int> cores;
#ifdef Q_OS_LINUX
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        return cores;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set))
            cores << c;
#endif
    return cores;
}

CorePlacement CorePlacement::split(const QList<int> &allowed, int shards)
{
    CorePlacement p;
    p.all = allowed;
    if (allowed.size() < 2)
        return p;
    const qsizetype own = std::clamp<qsizetype>(shards, 1, allowed.size() - 1);
    p.shards = allowed.first(own);
    p.rest = allowed.sliced(own);
    return p;
}

QString CorePlacement::describe() const
{
    if (!isSplit())
        return {};
    return u"engine on %1, built-in server and log on %2"_s.arg(coresText(shards), coresText(rest));
}

bool keepThreadTo(const QList<int> &cores)
{
#ifdef Q_OS_LINUX
    if (cores.isEmpty())
        return false;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cores) {
        if (c < 0 || c >= CPU_SETSIZE)
            return false;
        CPU_SET(c, &set);
    }
    return ::sched_setaffinity(0, sizeof set, &set) == 0;
#else
    Q_UNUSED(cores);
    return false;
#endif
}

} // namespace retrylab
