package centers

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/cocotrain/cocotrain/internal/fileio"
	"github.com/cocotrain/cocotrain/internal/npy"
)

// NamesSuffix is appended to an .npy output path for its class-names file.
const NamesSuffix = ".names.txt"

// Write writes c to path in the format of its extension and returns the
// files written:
//   - .npy: float32 array of shape (K, D), and path+".names.txt" with one
//     class name a line, in class order;
//   - .csv: a header "name,c0,…,c{D−1}", then one line per class: the name
//     and its D values;
//   - .json: [{"index": i, "name": "...", "centroid": [D values]}, ...].
func (c *Centers) Write(path string) ([]string, error) {
	format, err := Format(path)
	if err != nil {
		return nil, err
	}
	return c.WriteFormat(path, format)
}

// WriteFormat writes c to path in format ("npy", "csv" or "json"),
// whatever path's extension (/dev/stdout, a pipe), as Write does.
func (c *Centers) WriteFormat(path, format string) ([]string, error) {
	switch format {
	case "npy":
		names := path + NamesSuffix
		for _, n := range c.Names {
			if strings.ContainsAny(n, "\r\n") {
				return nil, fmt.Errorf("class name %q contains a line break: it cannot go in %s (use .csv or .json)", n, names)
			}
		}
		if err := npy.WriteFile(path, &npy.Array{Shape: []int{c.K, c.D}, Data: c.Data}); err != nil {
			return nil, err
		}
		if err := os.WriteFile(names, []byte(strings.Join(c.Names, "\n")+"\n"), 0o644); err != nil {
			return nil, err
		}
		return []string{path, names}, nil
	case "csv":
		return []string{path}, fileio.WriteFile(path, c.writeCSV)
	case "json":
		return []string{path}, fileio.WriteFile(path, c.writeJSON)
	}
	return nil, fmt.Errorf("%w %q: want npy, csv or json", ErrFormat, format)
}

func (c *Centers) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rec := make([]string, 1+c.D)
	rec[0] = "name"
	for j := 0; j < c.D; j++ {
		rec[1+j] = "c" + strconv.Itoa(j)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for i, name := range c.Names {
		rec[0] = name
		for j, v := range c.Data[i*c.D : (i+1)*c.D] {
			rec[1+j] = strconv.FormatFloat(float64(v), 'g', -1, 32)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonCentroid is one element of the JSON output.
type jsonCentroid struct {
	Index    int       `json:"index"`
	Name     string    `json:"name"`
	Centroid []float32 `json:"centroid"`
}

func (c *Centers) writeJSON(w io.Writer) error {
	out := make([]jsonCentroid, c.K)
	for i := range out {
		out[i] = jsonCentroid{Index: i, Name: c.Names[i], Centroid: c.Data[i*c.D : (i+1)*c.D]}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}
