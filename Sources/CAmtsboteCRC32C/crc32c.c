// CRC-32C with the CPU's own instruction. Swift cannot enable a CPU feature for one function,
// so this small C file does it with a target attribute and checks the CPU at run time; the
// portable table-driven version stays in AmtsboteSpool/Record/CRC32C.swift.
#include "amtsbote_crc32c.h"

#include <string.h>

#if defined(__x86_64__)

int amtsbote_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t amtsbote_crc32c_hardware(uint32_t crc, const void *data, size_t length) {
    const unsigned char *bytes = data;
    uint64_t value = (uint32_t)~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        value = __builtin_ia32_crc32di(value, word);
        bytes += 8;
        length -= 8;
    }
    uint32_t tail = (uint32_t)value;
    while (length > 0) {
        tail = __builtin_ia32_crc32qi(tail, *bytes);
        bytes += 1;
        length -= 1;
    }
    return ~tail;
}

#elif defined(__aarch64__) && defined(__linux__)

#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int amtsbote_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("crc")))
uint32_t amtsbote_crc32c_hardware(uint32_t crc, const void *data, size_t length) {
    const unsigned char *bytes = data;
    uint32_t value = ~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        value = __builtin_arm_crc32cd(value, word);
        bytes += 8;
        length -= 8;
    }
    while (length > 0) {
        value = __builtin_arm_crc32cb(value, *bytes);
        bytes += 1;
        length -= 1;
    }
    return ~value;
}

#else

int amtsbote_crc32c_hardware_available(void) { return 0; }

uint32_t amtsbote_crc32c_hardware(uint32_t crc, const void *data, size_t length) {
    (void)data;
    (void)length;
    return crc;
}

#endif
