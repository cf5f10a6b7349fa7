// SPDX-License-Identifier: GPL-3.0-or-later
#include "arrival_stamps.h"

#include <cstring>
#include <ctime>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/socket.h>
#endif

namespace retrylab::arrival {

#ifdef Q_OS_LINUX

bool enable(qintptr fd)
{
    const int one = 1;
    return ::setsockopt(int(fd), SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) == 0;
}

namespace {

// The stamp is on the system's wall clock; phases are on the monotonic one. Both are read
// just after the read, and the stamp's distance from "now" is carried over. A stamp from the
// future (the wall clock was stepped back meanwhile) means now.
Clock::time_point onSteadyClock(const timespec &stamp)
{
    timespec wall{};
    ::clock_gettime(CLOCK_REALTIME, &wall);
    const Clock::time_point now = Clock::now();
    const auto ago = std::chrono::seconds(wall.tv_sec - stamp.tv_sec) +
                     std::chrono::nanoseconds(wall.tv_nsec - stamp.tv_nsec);
    if (ago <= Clock::duration::zero())
        return now;
    return now - std::chrono::duration_cast<Clock::duration>(ago);
}

} // namespace

Read receive(qintptr fd, char *buffer, qint64 size)
{
    iovec io{buffer, static_cast<size_t>(size)};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = ::recvmsg(int(fd), &msg, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    Read r;
    if (n < 0) {
        r.bytes = errno == EAGAIN || errno == EWOULDBLOCK ? WouldBlock : Failed;
        return r;
    }
    r.bytes = n;
    for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
            c->cmsg_len >= CMSG_LEN(sizeof(timespec))) {
            timespec stamp{};
            std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
            r.arrived = onSteadyClock(stamp);
            return r;
        }
    }
    r.arrived = Clock::now();
    return r;
}

#else

bool enable(qintptr)
{
    return false; // and the client reads through Qt, as on TLS
}

Read receive(qintptr, char *, qint64)
{
    return Read{Failed, Clock::now()};
}

#endif

} // namespace retrylab::arrival
