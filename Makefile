# Thin wrapper over CMake. Everything is built in build/.
#   make          configure and build
#   make run      build, create build/demo.facet from the bundled demo once, open it in the GUI
#   make test     build and run every test (headless)
#   make deps     install the Debian 12 packages needed (scripts/install-deps.sh)
#   make deb      build the Debian package build/facet-studio_<version>_<arch>.deb
#   make clean    remove build/

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
CMAKE      ?= cmake

FACET        = $(BUILD_DIR)/app/facet/facet
FACET_STUDIO = $(BUILD_DIR)/app/facet-studio/facet-studio
DEMO_PROJECT = $(BUILD_DIR)/demo.facet

.PHONY: all build configure run test deps deb clean

all: build

configure: $(BUILD_DIR)/CMakeCache.txt

$(BUILD_DIR)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	$(CMAKE) --build $(BUILD_DIR) -j$(JOBS)

run: build
	@# Exit status 1 means "imported, but some records were skipped": the project is usable.
	@if [ ! -e $(DEMO_PROJECT) ]; then \
	    echo "Creating the demo project $(DEMO_PROJECT)"; \
	    $(FACET) import $(DEMO_PROJECT) demo/sharegpt4v_demo.json --images demo/data --name demo; \
	    rc=$$?; \
	    if [ $$rc -gt 1 ]; then rm -f $(DEMO_PROJECT) $(DEMO_PROJECT)-wal $(DEMO_PROJECT)-shm; exit $$rc; fi; \
	fi
	$(FACET_STUDIO) $(DEMO_PROJECT)

test: build
	QT_QPA_PLATFORM=offscreen ctest --test-dir $(BUILD_DIR) --output-on-failure

deps:
	scripts/install-deps.sh

deb: build
	cd $(BUILD_DIR) && cpack -G DEB

clean:
	rm -rf $(BUILD_DIR)
