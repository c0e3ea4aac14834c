/** 南阳市's city, counties and districts, and 丹江口: the forms come from its offices, so their names recur (a kind's `lexicon.places`). */
export const NANYANG_PLACES = ['南阳市', '宛城区', '卧龙区', '南召县', '方城县', '西峡县', '镇平县', '内乡县', '淅川县', '社旗县', '唐河县', '新野县', '桐柏县', '邓州市', '丹江口'] as const;
