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

# English plural forms only ("%n item(s)" -> "1 item", "2 items"): the source strings are English,
# so this catalogue holds just the messages with %n. `update_translations` must not fill it with
# every message, so it is compiled here with lrelease alone and refreshed by hand with
#   lupdate -no-obsolete -locations none -pluralonly core ui app -ts translations/facet_studio_en.ts
# (scripts/check-translations.sh checks it that way).
set(FACET_PLURAL_TS_FILE ${PROJECT_SOURCE_DIR}/translations/facet_studio_en.ts)

function(facet_add_plural_catalogue target)
    set(qm ${CMAKE_CURRENT_BINARY_DIR}/i18n_plural/facet_studio_en.qm)
    add_custom_command(OUTPUT ${qm}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/i18n_plural
        COMMAND Qt6::lrelease ${FACET_PLURAL_TS_FILE} -qm ${qm} -silent
        DEPENDS ${FACET_PLURAL_TS_FILE} VERBATIM)
    qt_add_resources(${target} ${target}_plural_translations
        PREFIX /i18n BASE ${CMAKE_CURRENT_BINARY_DIR}/i18n_plural FILES ${qm})
endfunction()
