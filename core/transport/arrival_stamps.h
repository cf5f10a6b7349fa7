// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <chrono>

// When an answer reached this machine, from the kernel's receive timestamps (SO_TIMESTAMPNS on
// Linux), for a plain TCP socket the client reads itself: a phase ends when its bytes arrived,
// not when a busy thread got round to reading them (transport/README.md, "When bytes arrived").
namespace retrylab::arrival {

using Clock = std::chrono::steady_clock;

enum : qint64 { WouldBlock = -1, Failed = -2 };

// Asks the kernel to stamp what arrives on `fd`; false where it cannot, and then the socket
// is read as before, through Qt.
bool enable(qintptr fd);

struct Read {
    qint64 bytes = 0;          // > 0 read, 0 at the peer's end of stream, WouldBlock or Failed
    Clock::time_point arrived; // when the last of them arrived (now, if the kernel gave no stamp)
};

// One read of a non-blocking socket, with the kernel's stamp of its last byte.
Read receive(qintptr fd, char *buffer, qint64 size);

} // namespace retrylab::arrival
