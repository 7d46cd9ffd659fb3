# Shared by app/facet-studio and app/facet: which .ts files exist, and which sources lupdate reads.
# Qt 6.4's lupdate only scans the target's own SOURCES, but most user-visible strings live in
# facet_core and facet_ui, so every source of core/, ui/ and app/ is listed here. The glob is
# re-checked at build time (CONFIGURE_DEPENDS), so new files are picked up without reconfiguring.
set(FACET_TS_FILES
    ${PROJECT_SOURCE_DIR}/translations/facet_studio_zh_CN.ts)

file(GLOB_RECURSE FACET_TR_SOURCES CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/core/*.h ${PROJECT_SOURCE_DIR}/core/*.cpp
    ${PROJECT_SOURCE_DIR}/ui/*.h ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.ui
    ${PROJECT_SOURCE_DIR}/app/*.h ${PROJECT_SOURCE_DIR}/app/*.cpp)
