#!/usr/bin/env python3
"""Makes the world of the import benchmark through lims-server's JSON door and writes the file.

    bench/import_world.py HTTP_ADDRESS TOKEN_FILE SITE_UNIT_ID OUT.csv PATIENTS ALIQUOTS_EACH

Creates a freezer under the storage unit SITE_UNIT_ID of site PSL (which must exist with
protocol CART-SLE, timepoints BASELINE and M3) holding enough 9x9 boxes for every aliquot, then writes OUT.csv: for each of PATIENTS new
patients and each of the two timepoints a primary serum tube and ALIQUOTS_EACH aliquots of it,
each aliquot in the next free well. Only the standard library: one keep-alive connection.
"""
import http.client
import json
import sys


def main():
    address, token_file, root, out, patients, each = sys.argv[1:7]
    patients, each = int(patients), int(each)
    token = open(token_file).read().strip()
    host, port = address.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port))

    def call(service, method, body):
        conn.request("POST", f"/lims.v1.{service}/{method}", json.dumps(body),
                     {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        reply = conn.getresponse()
        data = json.loads(reply.read())
        if reply.status != 200:
            raise SystemExit(f"{method}: {reply.status} {data}")
        return data

    def unit(parent, kind, name, rows=0, columns=0):
        body = {"parentId": parent, "kind": kind, "name": name, "rows": rows, "columns": columns}
        return call("StorageService", "CreateStorageUnit", body)["unit"]["id"]

    freezer = unit(root, "STORAGE_KIND_FREEZER", "IMPORT-F1")
    aliquots = patients * 2 * each
    boxes = [unit(freezer, "STORAGE_KIND_BOX", f"IMP-{b:05d}", 9, 9)
             for b in range((aliquots + 80) // 81)]
    wells = [f"{chr(65 + r)}{c + 1}" for r in range(9) for c in range(9)]
    placed = 0
    with open(out, "w") as f:
        f.write("barcode,parent_barcode,registry_id,site_code,protocol_code,anchor_date,"
                "timepoint_code,sample_type,quantity,collected_at,box,position\n")
        for p in range(patients):
            patient = f"IMP-{p:07d}"
            for tp, day in (("BASELINE", "2026-01-10"), ("M3", "2026-04-16")):
                primary = f"P{p:07d}{tp[0]}"
                f.write(f"{primary},,{patient},PSL,CART-SLE,2026-01-15,{tp},SER,10 mL,"
                        f"{day}T09:30,,\n")
                for a in range(each):
                    box, well = boxes[placed // 81], wells[placed % 81]
                    placed += 1
                    f.write(f"{primary}-{a:02d},{primary},{patient},PSL,CART-SLE,,{tp},SER,"
                            f"500 uL,{day}T09:30,BOX-{box},{well}\n")
    print(f"{len(boxes)} boxes, {patients * 2} primary tubes, {aliquots} aliquots")


if __name__ == "__main__":
    main()
