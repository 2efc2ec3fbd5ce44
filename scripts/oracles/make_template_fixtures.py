#!/usr/bin/env python3
"""Writes Tests/PromptTemplatesTests/Fixtures/jinja.json: templates rendered by Jinja2 exactly as
lm-evaluation-harness renders `doc_to_text` / `doc_to_target` / `doc_to_choice`
(`jinja2.Environment(loader=BaseLoader(), undefined=StrictUndefined, keep_trailing_newline=True)`,
lm_eval 0.4.9 `lm_eval.utils.apply_template`), against one document each. A template that Jinja
refuses is recorded with the kind of its failure (`undefined`, `type`, `syntax`, `value`).

    /tmp/lmev/bin/python scripts/oracles/make_template_fixtures.py   # the lm_eval venv (Jinja2 comes with it)
"""
import json
from pathlib import Path

import jinja2
from jinja2 import BaseLoader, StrictUndefined

OUT = Path(__file__).resolve().parents[2] / "Tests/PromptTemplatesTests/Fixtures/jinja.json"
ENV = jinja2.Environment(loader=BaseLoader(), undefined=StrictUndefined, keep_trailing_newline=True)

DOC = {
    "question": "  What is the capital of France?\n",
    "choices": {"text": ["Paris", "Lyon", "Nice"], "label": ["A", "B", "C"]},
    "answer": 0, "answerKey": "B", "sol1": "use a spoon", "sol2": "use a fork",
    "title": "the quick-brown fox (a story)", "n": 7, "ratio": 0.25, "big": 1e20, "tiny": 0.00001,
    "flag": True, "nothing": None, "words": ["alpha", "beta", "gamma"], "empty": [],
    "text": "l'été est chaud", "quote": 'say "hi"', "both": "it's \"x\"", "tab": "a\tb\\c",
    "label": "2", "src": "Bonjour le monde", "lang": "fr", "code": "def f(x):\n    return x\n",
}

TEMPLATES = [
    "{{question}}", "Question: {{question.strip()}}\nAnswer:", "{{ choices.text }}", "{{choices.label}}",
    "{{ choices['text'][0] }}", "{{ choices.text[-1] }}", "{{ choices.text.1 }}", "{{[sol1, sol2]}}",
    "{{ words|join(', ') }}", "{{ words | join }}", "{{ words|length }}", "{{ words|first }} {{ words|last }}",
    "{{ title|title }}", "{{ title.title() }}", "{{ title|capitalize }}", "{{ title.upper() }}", "{{ text|upper }}",
    "{{ question|trim }}", "{{ question.lstrip() }}|", "{{ question.rstrip() }}|", "{{ n + 1 }}", "{{ n / 2 }}",
    "{{ n // 2 }} {{ n % 3 }} {{ -n // 2 }} {{ -n % 3 }}", "{{ n * 2.5 }}", "{{ 2 ** 10 }}", "{{ ratio }} {{ big }} {{ tiny }}",
    "{{ flag }} {{ nothing }}", "{{ n ~ ' items' }}", "{{ 'a' + 'b' }}", "{{ words + ['delta'] }}",
    "{% if n > 5 %}many{% elif n > 2 %}some{% else %}few{% endif %}", "{% if nothing is none %}none!{% endif %}",
    "{% if missing is defined %}yes{% else %}no{% endif %}", "{{ missing|default('fallback') }}",
    "{% for w in words %}{{ loop.index }}. {{ w }}\n{% endfor %}", "{% for w in empty %}x{% else %}empty{% endfor %}",
    "{% for w in words %}{{ w }}{% if not loop.last %}, {% endif %}{% endfor %}",
    "{% set greeting = 'Hello ' + src %}{{ greeting }}!", "{{ words[1:] }} {{ words[:-1] }} {{ text[2:6] }}",
    "{{ 'été' in text }} {{ 'beta' in words }} {{ 'zeta' not in words }} {{ 'text' in choices }}",
    "{{ answerKey == 'B' }} {{ answer == 0 }} {{ n != 7 }} {{ n >= 7 and ratio < 1 }}", "{{ 'yes' if flag else 'no' }}",
    "{{ choices.label.index if false else 'x' }}", "{{ label|int + 1 }}", "{{ 'abc'|int }}", "{{ '3.7'|int }}", "{{ n|float }}",
    "{{ text.split() }} {{ text.split(' ', 1) }} {{ 'a,b,,c'.split(',') }}", "{{ text.replace('é', 'e') }}",
    "{{ quote }} {{ [quote, both, tab] }}", "{{ code }}", "{{ src.startswith('Bon') }} {{ src.endswith('x') }}",
    "{{ ' - '.join(words) }}", "{{ choices.keys()|list|length }} {{ choices.get('text')|first }}", "{{ words|reverse|list }}",
    "{{- question -}}|", "a  {{- ' b ' -}}  c", "line1\n{%- if flag %}\nline2{% endif -%}\n\nline3\n",
    "{# a comment #}kept", "{{ {'k': n} }}", "{{ range(3)|list }}", "{{ [1, 2.0, 'x', none, true] }}",
    "{{ lang|upper }}: {{ src }}\nEN:", "{{ answer|string + '!' }}", "{{ question|wordcount }}",
    # failures
    "{{ missing }}", "{{ choices.missing }}", "{{ words[10] }}", "{{ n + 'x' }}", "{{ n / 0 }}", "{% if n %}unclosed",
    "{{ n ", "{{ nothing.strip() }}", "{% endfor %}",
]


def kind_of(error):
    if isinstance(error, jinja2.exceptions.UndefinedError):
        return "undefined"
    if isinstance(error, jinja2.exceptions.TemplateSyntaxError):
        return "syntax"
    if isinstance(error, (TypeError, AttributeError)):
        return "type"
    return "value"


cases = []
for template in TEMPLATES:
    case = {"template": template}
    try:
        case["rendered"] = ENV.from_string(template).render(**DOC)
    except Exception as error:  # noqa: BLE001 - the kind of failure is the fixture
        case["error"] = kind_of(error)
    cases.append(case)

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"generator": f"jinja2 {jinja2.__version__}, StrictUndefined, keep_trailing_newline=True",
                           "document": DOC, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(cases)} cases to {OUT}")
