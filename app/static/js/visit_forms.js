// A screening's or patrol's form (app/views/fieldwork.py), without reloading the page or losing anything typed:
// - choosing the employer fills in the register's values (the view's `register`), each field only while it is
//   empty or still holds what the register put there: what the clerk typed stays;
// - choosing another checklist template swaps in its checklist (the view's `checklist`), keeping the answers
//   to the same item numbers and asking before dropping any other, and shows the header fields that template
//   prints (the checklist's data-header-fields), hiding the others (Guizhou has no 生产经营状况).
(function ($) {
    "use strict";

    var FILLED = "filledFromRegister";
    var BLANKS = ["", "__None"];  // "__None": the blank of Flask-AppBuilder's selects

    function fillField(name, value) {
        var field = document.getElementById(name);
        if (!field || value === null || value === undefined) {
            return;
        }
        var $field = $(field);
        if (Array.isArray(value)) {  // a multiple picker (the hazard factors named): only while untouched
            fillMany(field, $field, value);
            return;
        }
        var given = String(typeof value === "object" ? value.id : value);
        var current = $field.val() || "";
        if (BLANKS.indexOf(current) < 0 && current !== $field.data(FILLED)) {
            return;
        }
        if (field.tagName === "SELECT" && !$field.find("option").filter(function () {
            return this.value === given;
        }).length) {
            field.appendChild(new Option(value.text, given));
        }
        $field.val(given).trigger("change");
        $field.data(FILLED, given);
    }

    function fillMany(field, $field, records) {
        var current = ($field.val() || []).join(",");
        if (current && current !== $field.data(FILLED)) {
            return;
        }
        var given = $.map(records, function (record) {
            if (!$field.find("option").filter(function () { return this.value === String(record.id); }).length) {
                field.appendChild(new Option(record.text, String(record.id)));
            }
            return String(record.id);
        });
        $field.val(given).trigger("change");
        $field.data(FILLED, given.join(","));
    }

    function fillFromRegister() {
        var employer = $(this).val();
        if (!employer) {
            return;
        }
        $.getJSON($(this).data("register-url"), {employer: employer}, function (values) {
            $.each(values, fillField);
        });
    }

    function answersIn($checklist) {
        var given = {};
        $checklist.find("input").each(function () {
            if (this.type === "radio" ? this.checked : this.value !== "") {
                given[this.name] = this.value;
            }
        });
        return given;
    }

    function showHeaderFields($checklist) {
        var used = String($checklist.data("header-fields") || "").split(" ");
        $.each(String($checklist.data("optional-fields") || "").split(" "), function (_, name) {
            $(document.getElementById(name + "-label")).closest("tr").prop("hidden", used.indexOf(name) < 0);
        });
    }

    function swapChecklist() {
        var $select = $(this);
        var $checklist = $(".checklist").first();
        var given = answersIn($checklist);
        $.get($select.data("checklist-url"), {template: $select.val()}, function (html) {
            var $next = $($.parseHTML(html)).filter("table");
            var dropped = $.map(given, function (value, name) {
                return $next.find("input[name='" + name + "']").length ? null : name;
            });
            if (dropped.length && !window.confirm(
                    String($select.data("drop-message")).replace("%(count)s", dropped.length))) {
                $select.val($select.data("shown")).trigger("change.select2");  // select2's display only
                return;
            }
            $checklist.replaceWith($next);
            showHeaderFields($next);
            $.each(given, function (name, value) {
                $next.find("input[name='" + name + "']").each(function () {
                    if (this.type === "radio") {
                        this.checked = this.value === value;
                    } else {
                        this.value = value;
                    }
                });
            });
            $select.data("shown", $select.val());
        });
    }

    $(function () {
        $("select[data-register-url]").on("change", fillFromRegister);
        $("select[data-checklist-url]").each(function () {
            $(this).data("shown", $(this).val());
        }).on("change", swapChecklist);
    });
})(jQuery);
