/** A benchmark district: `streets` streets of `communities` communities each, every unit with a duty line. */
export const benchOrg = (streets = 6, communities = 10) => {
  const kinds = ['urban', 'village', 'village_to_residence'] as const;
  const duty = (n: number) => ({ phone: `138${String(n).padStart(8, '0')}`, email: `duty-${n}@example.org` });
  return {
    district: { id: 'bd', name: '基准区', dutyContact: duty(1) },
    streets: Array.from({ length: streets }, (_, s) => ({
      id: `bd-s${s + 1}`,
      name: `第${s + 1}街道`,
      dutyContact: duty(100 + s),
      communities: Array.from({ length: communities }, (_, c) => ({
        id: `bd-s${s + 1}-c${c + 1}`,
        name: `第${s + 1}街道第${c + 1}社区`,
        kind: kinds[c % kinds.length],
        dutyContact: duty(1000 + s * 100 + c),
      })),
    })),
  };
};

export type BenchOrg = ReturnType<typeof benchOrg>;
