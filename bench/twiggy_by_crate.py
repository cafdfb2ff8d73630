#!/usr/bin/env python3
"""Sums `twiggy top -f csv` rows of the app's wasm (built with names, before wasm-opt) by crate."""
import csv,re,collections,sys
rows=list(csv.DictReader(open(sys.argv[1])))
agg=collections.Counter()
for r in rows:
    name=r['Name']; size=int(r['ShallowSize'])
    if 'function names' in name or 'custom section' in name or '__wbindgen_describe' in name or name.startswith('export "__wbindgen_describe'): continue
    m=re.match(r'^<?(?:&(?:mut )?)?(?:dyn )?([a-z_][a-z0-9_]*)::',name)
    if name.startswith('<'):
        m2=re.match(r'^<([a-z_][a-z0-9_]*)::.*? as ([a-z_][a-z0-9_]*)::',name)
        if m2: key=m2.group(1) if m2.group(1) not in ('core','alloc') else m2.group(2)
        elif m: key=m.group(1)
        else:
            m3=re.match(r'^<[^>]*? as ([a-z_][a-z0-9_]*)::',name)
            key=m3.group(1)+' (impl)' if m3 else '(generic impl)'
    elif m: key=m.group(1)
    elif name.startswith('data['): key='(data)'
    else: key='(other)'
    agg[key]+=size
tot=sum(agg.values())
for k,v in agg.most_common(22): print(f"| {k} | {v} | {100*v/tot:.1f}% |")
print('total',tot)
