# SPDX-License-Identifier: GPL-3.0-or-later
# Read by CPack for each generator: the .deb installs under /usr, the portable tarball is
# relative (bin/, share/) so it runs from wherever it is unpacked.
if(CPACK_GENERATOR STREQUAL "DEB")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
endif()
