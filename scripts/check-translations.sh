#!/usr/bin/env bash
# Fails unless every translation catalogue in translations/ is complete for the sources as they
# are now. It runs lupdate (same options as the build's facet-studio_lupdate target) on a copy of
# each .ts, so the working tree is never modified, and then checks that
#   - no message is unfinished or new (a new tr() string shows up as unfinished after lupdate),
#   - every translation keeps the placeholders of its source (%1..%99, %n, %L1),
#   - no tr() string sits in a context the code never asks for at run time: lupdate names the
#     context after the enclosing class, but a file-local tr() wrapper that calls
#     QCoreApplication::translate("Ctx", text) looks the string up under "Ctx" instead, so its
#     translation would never be found.
# Usage: scripts/check-translations.sh        (LUPDATE=/path/to/lupdate to pick the tool)
set -euo pipefail

# Lost contexts that are known and reported to the code's owners ("file:context lupdate uses"):
# printed as warnings so they do not block CI; any other case fails. Delete entries once fixed.
known_lost_contexts=""

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

lupdate=${LUPDATE:-}
if [[ -z "$lupdate" ]]; then
    for candidate in /usr/lib/qt6/bin/lupdate "$(command -v lupdate6 || true)" "$(command -v lupdate || true)"; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            lupdate=$candidate
            break
        fi
    done
fi
if [[ -z "$lupdate" ]]; then
    echo "check-translations: lupdate not found (install qt6-l10n-tools)" >&2
    exit 2
fi

shopt -s nullglob
catalogues=(translations/*.ts)
if ((${#catalogues[@]} == 0)); then
    echo "check-translations: no .ts files under translations/" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
for ts in "${catalogues[@]}"; do
    name=$(basename "$ts")
    cp "$ts" "$tmp/$name"
    # The English catalogue only carries plural forms (translations/translations.cmake).
    extra=()
    [[ $name == *_en.ts ]] && extra=(-pluralonly)
    if ! "$lupdate" -no-obsolete -locations none "${extra[@]}" core ui app -ts "$tmp/$name" >"$tmp/lupdate.log" 2>&1; then
        cat "$tmp/lupdate.log" >&2
        echo "check-translations: lupdate failed on $ts" >&2
        exit 2
    fi

    # Messages lupdate put in a context of its own guessing (tr() in a class without Q_OBJECT
    # or Q_DECLARE_TR_FUNCTIONS): find the context the file's tr() wrapper really uses.
    : >"$tmp/guessed"
    while IFS= read -r warning; do
        file=${warning%%:*}
        guessed=$(sed -n "s/.*Class '\([^']*\)' lacks Q_OBJECT macro.*/\1/p" <<<"$warning")
        actual=$(grep -o 'QCoreApplication::translate("[^"]*", *[A-Za-z_][A-Za-z_0-9]*)' "$file" \
                     | head -n 1 | sed 's/.*translate("\([^"]*\)".*/\1/' || true)
        if [[ -n "$actual" && "$actual" != "$guessed" ]]; then
            printf '%s\t%s\t%s\n' "$guessed" "$actual" "${file#"$root"/}" >>"$tmp/guessed"
        fi
    done < <(grep "lacks Q_OBJECT macro" "$tmp/lupdate.log" || true)

    # One awk record per message (mawk-compatible: no gawk extensions).
    if ! awk -v ts="$ts" -v guessedFile="$tmp/guessed" -v known=" $known_lost_contexts " '
        function between(text, opener, closer,    s, e) {
            s = index(text, opener); if (s == 0) return ""
            text = substr(text, s + length(opener))
            e = index(text, closer); if (e == 0) return ""
            return substr(text, 1, e - 1)
        }
        function unescape(t) {
            gsub(/&lt;/, "<", t); gsub(/&gt;/, ">", t); gsub(/&quot;/, "\"", t)
            gsub(/&apos;/, "\047", t); gsub(/&amp;/, "\\&", t); return t
        }
        # Sorted, de-duplicated list of the placeholders in t.
        function placeholders(t,    list, n, i, j, p, tmpv) {
            n = 0
            while (match(t, /%L?([0-9]+|n)/)) {
                p = substr(t, RSTART, RLENGTH); sub(/^%L/, "%", p)
                seen = 0
                for (i = 1; i <= n; i++) if (list[i] == p) seen = 1
                if (!seen) list[++n] = p
                t = substr(t, RSTART + RLENGTH)
            }
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
                if (list[j] < list[i]) { tmpv = list[i]; list[i] = list[j]; list[j] = tmpv }
            out = ""
            for (i = 1; i <= n; i++) out = out " " list[i]
            return out
        }
        function report(msg,    shown) {
            shown = src; gsub(/\n/, "\\n", shown)
            printf "%s: [%s] \"%s\": %s\n", ts, ctx, shown, msg; bad++
        }
        BEGIN {
            bad = 0; total = 0
            while ((getline line < guessedFile) > 0) {
                split(line, f, "\t"); wrongCtx[f[1]] = f[2]; wrongFile[f[1]] = f[3]
            }
            RS = "</message>"
        }
        {
            rec = $0
            if (index(rec, "<name>")) ctx = between(rec, "<name>", "</name>")
            if (!index(rec, "<message")) next
            total++
            src = unescape(between(rec, "<source>", "</source>"))
            head = substr(rec, index(rec, "<translation"))
            head = substr(head, 1, index(head, ">"))
            body = between(rec, head, "</translation>")
            if (ctx in wrongCtx) lost[ctx]++
            if (head ~ /type="(unfinished|vanished|obsolete)"/) { report("not translated"); next }
            if (index(rec, "numerus=\"yes\"")) {
                forms = body; n = 0
                while (index(forms, "<numerusform")) {
                    form = between(forms, ">", "</numerusform>")
                    n++
                    if (form == "") report("empty plural form " n)
                    else if (placeholders(unescape(form)) != placeholders(src))
                        report("plural form " n " has placeholders" placeholders(unescape(form)) \
                               ", the source has" placeholders(src))
                    forms = substr(forms, index(forms, "</numerusform>") + 14)
                }
                if (n == 0) report("no plural forms")
            } else if (body == "") {
                report("empty translation")
            } else if (placeholders(unescape(body)) != placeholders(src)) {
                report("translation has placeholders" placeholders(unescape(body)) \
                       ", the source has" placeholders(src))
            }
        }
        END {
            for (c in lost) {
                isKnown = index(known, " " wrongFile[c] ":" c " ") > 0
                printf "%s%s: %d message(s) in context \"%s\" are never found at run time: %s looks them up" \
                       " under \"%s\"; declare Q_DECLARE_TR_FUNCTIONS(%s) in the class that calls tr()," \
                       " or call QCoreApplication::translate(\"%s\", \"...\") literally\n", \
                       isKnown ? "warning (known): " : "", \
                       ts, lost[c], c, wrongFile[c], wrongCtx[c], wrongCtx[c], wrongCtx[c]
                if (!isKnown) bad += lost[c]
            }
            if (total == 0) { printf "%s: no messages at all\n", ts; exit 1 }
            printf "%s: %d messages, %d problems\n", ts, total, bad
            exit bad > 0
        }' "$tmp/$name"; then
        failed=1
    fi
done

if ((failed)); then
    echo "check-translations: FAILED; update with 'cmake --build BUILD --target update_translations'," \
         "then translate the messages listed above" >&2
    exit 1
fi
echo "check-translations: all catalogues complete"
